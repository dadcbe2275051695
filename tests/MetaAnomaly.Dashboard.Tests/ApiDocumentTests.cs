using System.Net;
using System.Text.Json;
using MetaAnomaly.Dashboard.Security;
using MetaAnomaly.Dashboard.Tests.Support;
using MetaAnomaly.Shared.Security;

namespace MetaAnomaly.Dashboard.Tests;

/// <summary>The OpenAPI document a client generator reads, the shape of the payloads, and what a browser and an API client get for an unknown address.</summary>
public sealed class ApiDocumentTests(QuietDashboard dashboard) : IClassFixture<QuietDashboard>
{
    private readonly DashboardHost _host = dashboard.Host;

    [Fact]
    public async Task EveryOperationHasASummaryAndTheProtectedOnesDeclareHowToAuthenticate()
    {
        using var document = await DocumentAsync();
        var root = document.RootElement;
        var schemes = root.GetProperty("components").GetProperty("securitySchemes");
        Assert.Equal(ApiKeyAuthenticationHandler.HeaderName, schemes.GetProperty("apiKey").GetProperty("name").GetString());
        Assert.Equal("bearer", schemes.GetProperty("bearer").GetProperty("scheme").GetString());

        var operations = root.GetProperty("paths").EnumerateObject()
            .SelectMany(path => path.Value.EnumerateObject().Select(op => (Name: $"{op.Name.ToUpperInvariant()} {path.Name}", Operation: op.Value)))
            .ToArray();
        Assert.NotEmpty(operations);
        Assert.Empty(operations.Where(o => !o.Operation.TryGetProperty("summary", out var s) || string.IsNullOrWhiteSpace(s.GetString())).Select(o => o.Name));
        var anomalies = operations.Single(o => o.Name == "GET /api/anomalies").Operation;
        Assert.Equal(4, anomalies.GetProperty("security").GetArrayLength());
        Assert.Contains($"Access policy: {AccessPolicies.Viewer}.", anomalies.GetProperty("description").GetString());
    }

    [Fact]
    public async Task TheInfluxWriteEndpointsDeclareTheirQueryParameters()
    {
        using var document = await DocumentAsync();
        var paths = document.RootElement.GetProperty("paths");
        string[] Parameters(string path) => paths.GetProperty(path).GetProperty("post").GetProperty("parameters").EnumerateArray()
            .Select(p => p.GetProperty("name").GetString()!).ToArray();
        Assert.Equal(["db", "rp", "precision", "u", "p"], Parameters("/write"));
        Assert.Equal(["org", "bucket", "precision"], Parameters("/api/v2/write"));
    }

    [Fact]
    public async Task PayloadsNameTheirStatesAndGiveUnknownNumbersAsNullNotAsStrings()
    {
        using var client = _host.CreateClient();
        client.DefaultRequestHeaders.Add(ApiKeyAuthenticationHandler.HeaderName, await _host.CreateKeyAsync(DashboardRoles.Admin));
        using var written = await client.PostAsync("/write?precision=s",
            new StringContent($"disk,host=payload free=1.5 {DateTimeOffset.UtcNow.ToUnixTimeSeconds()}\n"));
        Assert.Equal(HttpStatusCode.NoContent, written.StatusCode);

        using var listed = JsonDocument.Parse(await client.GetStringAsync("/api/series?tag=host=payload"));
        var model = Assert.Single(listed.RootElement.EnumerateArray()).GetProperty("model");
        Assert.Equal("WarmingUp", model.GetProperty("status").GetString());
        Assert.Equal(JsonValueKind.Null, model.GetProperty("residualScale").ValueKind);
    }

    [Fact]
    public async Task ABrowserGetsAPageForAnUnknownAddressAndAnApiClientGetsProblemDetails()
    {
        using var client = _host.CreateClient(new() { AllowAutoRedirect = false });
        using var page = new HttpRequestMessage(HttpMethod.Get, "/no-such-page");
        page.Headers.Accept.ParseAdd("text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8");
        using var pageResponse = await client.SendAsync(page);
        using var api = new HttpRequestMessage(HttpMethod.Get, "/api/no-such-thing");
        api.Headers.Accept.ParseAdd("text/html,*/*;q=0.8");
        using var apiResponse = await client.SendAsync(api);

        Assert.Equal(HttpStatusCode.NotFound, pageResponse.StatusCode);
        Assert.Equal("text/html", pageResponse.Content.Headers.ContentType?.MediaType);
        Assert.Contains("There is no page at this address.", await pageResponse.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.NotFound, apiResponse.StatusCode);
        Assert.Equal("application/problem+json", apiResponse.Content.Headers.ContentType?.MediaType);
    }

    private async Task<JsonDocument> DocumentAsync()
    {
        using var client = _host.CreateClient();
        client.DefaultRequestHeaders.Add(ApiKeyAuthenticationHandler.HeaderName, await _host.CreateKeyAsync(DashboardRoles.Viewer));
        return JsonDocument.Parse(await client.GetStringAsync("/openapi/v1.json"));
    }
}
