using MetaAnomaly.Dashboard.Tests.Support;
using System.Net;
using System.Net.Http.Json;
using MetaAnomaly.Dashboard.Security;

namespace MetaAnomaly.Dashboard.Tests;

/// <summary>Who may call what: anonymous, viewer, writer and admin requests against the JSON API and the pages.</summary>
public sealed class AccessControlTests(QuietDashboard dashboard) : IClassFixture<QuietDashboard>
{
    private readonly DashboardHost _host = dashboard.Host;

    public static TheoryData<string, string, string?, HttpStatusCode> Requests => new()
    {
        // method, path, role (null: anonymous), expected status
        { "GET", "/health", null, HttpStatusCode.OK },
        { "GET", "/api/jobs", null, HttpStatusCode.Unauthorized },
        { "GET", "/api/jobs", DashboardRoles.Writer, HttpStatusCode.Forbidden },
        { "GET", "/api/jobs", DashboardRoles.Viewer, HttpStatusCode.OK },
        { "GET", "/api/jobs", DashboardRoles.Admin, HttpStatusCode.OK },
        { "POST", "/api/jobs/none/none/run", null, HttpStatusCode.Unauthorized },
        { "POST", "/api/jobs/none/none/run", DashboardRoles.Viewer, HttpStatusCode.Forbidden },
        { "POST", "/api/jobs/none/none/run", DashboardRoles.Admin, HttpStatusCode.NotFound },
        { "GET", "/api/keys", null, HttpStatusCode.Unauthorized },
        { "GET", "/api/keys", DashboardRoles.Viewer, HttpStatusCode.Forbidden },
        { "GET", "/api/keys", DashboardRoles.Admin, HttpStatusCode.OK },
        { "GET", "/api/series", null, HttpStatusCode.Unauthorized },
        { "GET", "/api/series", DashboardRoles.Writer, HttpStatusCode.Forbidden },
        { "GET", "/api/series", DashboardRoles.Viewer, HttpStatusCode.OK },
        { "GET", "/api/clusters", null, HttpStatusCode.Unauthorized },
        { "GET", "/api/clusters", DashboardRoles.Viewer, HttpStatusCode.OK },
        { "GET", "/api/ingest/status", DashboardRoles.Viewer, HttpStatusCode.OK },
        { "GET", "/api/anomalies", null, HttpStatusCode.Unauthorized },
        { "GET", "/api/anomalies", DashboardRoles.Writer, HttpStatusCode.Forbidden },
        { "GET", "/api/anomalies", DashboardRoles.Viewer, HttpStatusCode.OK },
        { "POST", "/api/anomalies/1/feedback", null, HttpStatusCode.Unauthorized },
        { "POST", "/api/anomalies/1/feedback", DashboardRoles.Viewer, HttpStatusCode.Forbidden },
        { "GET", "/api/detection/sensitivities", null, HttpStatusCode.Unauthorized },
        { "GET", "/api/detection/sensitivities", DashboardRoles.Viewer, HttpStatusCode.OK },
        { "PUT", "/api/detection/sensitivities/clusters/c9", DashboardRoles.Viewer, HttpStatusCode.Forbidden },
        { "DELETE", "/api/detection/sensitivities/clusters/c9", DashboardRoles.Viewer, HttpStatusCode.Forbidden },
        { "DELETE", "/api/detection/sensitivities/clusters/c9", DashboardRoles.Admin, HttpStatusCode.NotFound },
        { "GET", "/api/webhooks", DashboardRoles.Viewer, HttpStatusCode.Forbidden },
        { "GET", "/api/webhooks", DashboardRoles.Admin, HttpStatusCode.OK },
        { "POST", "/api/webhooks/1/test", DashboardRoles.Viewer, HttpStatusCode.Forbidden },
        { "GET", "/openapi/v1.json", null, HttpStatusCode.Unauthorized },
        { "GET", "/openapi/v1.json", DashboardRoles.Viewer, HttpStatusCode.OK },
    };

    [Theory]
    [MemberData(nameof(Requests))]
    public async Task ApiRefusesWhoMustNotCallIt(string method, string path, string? role, HttpStatusCode expected)
    {
        using var client = _host.CreateClient(new() { AllowAutoRedirect = false });
        using var request = new HttpRequestMessage(new HttpMethod(method), path);
        if (role is not null)
        {
            request.Headers.Add(ApiKeyAuthenticationHandler.HeaderName, await _host.CreateKeyAsync(role));
        }
        using var response = await client.SendAsync(request);
        Assert.Equal(expected, response.StatusCode);
    }

    [Theory]
    [InlineData(null, HttpStatusCode.Unauthorized)]
    [InlineData(DashboardRoles.Viewer, HttpStatusCode.Forbidden)]
    [InlineData(DashboardRoles.Writer, HttpStatusCode.NoContent)]
    public async Task WriteEndpointTakesOnlyWriterKeys(string? role, HttpStatusCode expected)
    {
        using var client = _host.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/write?db=telegraf&precision=s")
        {
            Content = new StringContent($"cpu,host=test-{role ?? "anonymous"} usage=0.5 {DateTimeOffset.UtcNow.ToUnixTimeSeconds()}\n"),
        };
        if (role is not null)
        {
            // InfluxDB v1 clients send the password as Basic auth: the API key is the password.
            var basic = Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes("telegraf:" + await _host.CreateKeyAsync(role)));
            request.Headers.Authorization = new("Basic", basic);
        }
        using var response = await client.SendAsync(request);
        Assert.Equal(expected, response.StatusCode);
    }

    [Fact]
    public async Task SeriesListingServesPushedSeriesAsJson()
    {
        using var client = _host.CreateClient();
        client.DefaultRequestHeaders.Add(ApiKeyAuthenticationHandler.HeaderName, await _host.CreateKeyAsync(DashboardRoles.Admin));
        using var written = await client.PostAsync("/write?precision=s",
            new StringContent($"disk,host=listing free=1.5 {DateTimeOffset.UtcNow.ToUnixTimeSeconds()}\n"));
        Assert.Equal(HttpStatusCode.NoContent, written.StatusCode);

        var listed = await client.GetStringAsync("/api/series?measurement=disk&tag=host=listing");
        Assert.Contains("\"disk,host=listing#free\"", listed, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/")]
    [InlineData("/jobs")]
    [InlineData("/access")]
    [InlineData("/anomalies")]
    [InlineData("/anomalies/1")]
    [InlineData("/series")]
    [InlineData("/clusters")]
    [InlineData("/alerts")]
    public async Task PagesSendAnonymousVisitorsToSignIn(string path)
    {
        using var client = _host.CreateClient(new() { AllowAutoRedirect = false });
        using var response = await client.GetAsync(path);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith("/login", response.Headers.Location!.PathAndQuery, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RevokedKeyIsRefused()
    {
        var created = await _host.Accounts.CreateApiKeyAsync("to-revoke", DashboardRoles.Admin, CancellationToken.None);
        using var client = _host.CreateClient();
        client.DefaultRequestHeaders.Authorization = new("Bearer", created.Text);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/jobs")).StatusCode);

        Assert.True(await _host.Accounts.RevokeApiKeyAsync(created.Key.Id, CancellationToken.None));

        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/api/jobs")).StatusCode);
    }

    [Fact]
    public async Task KeyWithWrongSecretIsRefused()
    {
        var text = await _host.CreateKeyAsync(DashboardRoles.Admin);
        using var client = _host.CreateClient();
        client.DefaultRequestHeaders.Add(ApiKeyAuthenticationHandler.HeaderName, text[..^2] + "xx");
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/api/jobs")).StatusCode);
    }

    [Fact]
    public async Task AdminCreatesKeyThroughApiAndSeesOnlyItsMetadata()
    {
        using var client = _host.CreateClient();
        client.DefaultRequestHeaders.Add(ApiKeyAuthenticationHandler.HeaderName, await _host.CreateKeyAsync(DashboardRoles.Admin));
        using var created = await client.PostAsJsonAsync("/api/keys", new { name = "grafana", role = "viewer" });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var body = await created.Content.ReadFromJsonAsync<CreatedApiKey>();
        Assert.StartsWith("mak_", body!.Text, StringComparison.Ordinal);

        var listed = await client.GetStringAsync("/api/keys");
        Assert.Contains("grafana", listed, StringComparison.Ordinal);
        Assert.DoesNotContain(body.Text, listed, StringComparison.Ordinal);
        Assert.DoesNotContain(ApiKeySecret.TryParse(body.Text, out var secret) ? secret.Secret : "?", listed, StringComparison.Ordinal);
    }

    [Fact]
    public async Task BadKeyRequestGetsValidationProblem()
    {
        using var client = _host.CreateClient();
        client.DefaultRequestHeaders.Add(ApiKeyAuthenticationHandler.HeaderName, await _host.CreateKeyAsync(DashboardRoles.Admin));
        using var response = await client.PostAsJsonAsync("/api/keys", new { name = "x", role = "root" });
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task ResponsesCarrySecurityHeaders()
    {
        using var client = _host.CreateClient(new() { AllowAutoRedirect = false });
        using var response = await client.GetAsync("/login");
        Assert.Equal("DENY", response.Headers.GetValues("X-Frame-Options").Single());
        Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.Contains("frame-ancestors 'none'", response.Headers.GetValues("Content-Security-Policy").Single(), StringComparison.Ordinal);
    }
}
