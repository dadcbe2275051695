using System.Net;
using System.Net.Http.Headers;
using System.Text;
using MetaAnomaly.Dashboard.Security;

namespace MetaAnomaly.Integration.Tests;

/// <summary><c>GET /metrics</c> of the whole product: its own metrics in Prometheus' text format, for admins and the metrics key only.</summary>
public sealed class ProductMetricsTests : IAsyncLifetime
{
    private const string MetricsKey = "scrape-key-0123456789";

    // A series budget of 4 (2 MB of 65,536-slot rings), so that a few series are enough to go over it.
    private readonly QuietProduct _product = new(new Dictionary<string, string?>
    {
        ["Dashboard:Telemetry:MetricsKey"] = MetricsKey,
        ["Ingest:Buffers:Capacity"] = "65536",
        ["Ingest:Buffers:MaxMemoryMegabytes"] = "2",
    });
    private readonly HttpClient _http = new();

    public Task InitializeAsync()
    {
        _product.StartServer();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _product.DisposeAsync();
    }

    private Task<string> KeyAsync(string role) => _product.CreateKeyAsync(role);

    private async Task<HttpResponseMessage> ScrapeAsync(string? bearer)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, _product.Url("/metrics"));
        if (bearer is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", bearer);
        }
        return await _http.SendAsync(request);
    }

    [Fact]
    public async Task AnAdminKeyScrapesTheProductsMetricsInPrometheusTextFormat()
    {
        var writer = await KeyAsync(DashboardRoles.Writer);
        using var write = new HttpRequestMessage(HttpMethod.Post, _product.Url("/write?db=telegraf&precision=s"))
        {
            Content = new StringContent($"cpu,host=metrics usage=0.5 {DateTimeOffset.UtcNow.ToUnixTimeSeconds()}\n", Encoding.UTF8),
        };
        write.Headers.Authorization = new AuthenticationHeaderValue("Token", writer);
        Assert.Equal(HttpStatusCode.NoContent, (await _http.SendAsync(write)).StatusCode);

        using var response = await ScrapeAsync(await KeyAsync(DashboardRoles.Admin));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/plain", response.Content.Headers.ContentType?.MediaType);
        var text = await response.Content.ReadAsStringAsync();
        Assert.Matches(@"(?m)^metaanomaly_ingest_points_total\{[^}]*source=""InfluxWrite""[^}]*\} [1-9]", text);
        Assert.Matches(@"(?m)^metaanomaly_ingest_series\{?[^ ]* 1(\.0)?( |$)", text);
        Assert.Matches(@"(?m)^metaanomaly_ingest_lag_seconds\{?[^ ]* -?[0-9]", text);
        Assert.Matches(@"(?m)^metaanomaly_series_state\{[^}]*state=""WarmingUp""", text);
        Assert.Contains("# TYPE metaanomaly_ingest_points_total counter", text);
    }

    [Fact]
    public async Task PointsOfSeriesBeyondTheBudgetAreCountedAsSkippedOverCapacity()
    {
        var writer = await KeyAsync(DashboardRoles.Writer);
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        using var write = new HttpRequestMessage(HttpMethod.Post, _product.Url("/write?db=telegraf&precision=s"))
        {
            Content = new StringContent(string.Concat(Enumerable.Range(0, 7).Select(h => $"cpu,host=h{h} usage={h} {now}\n")), Encoding.UTF8),
        };
        write.Headers.Authorization = new AuthenticationHeaderValue("Token", writer);
        Assert.Equal(HttpStatusCode.BadRequest, (await _http.SendAsync(write)).StatusCode);

        using var response = await ScrapeAsync(MetricsKey);

        var text = await response.Content.ReadAsStringAsync();
        Assert.Matches(@"(?m)^metaanomaly_ingest_skipped_total\{[^}]*reason=""over_capacity""[^}]*\} 3( |$)", text);
        Assert.Matches(@"(?m)^metaanomaly_ingest_skipped_total\{[^}]*reason=""not_finite""[^}]*\} 0( |$)", text);
    }

    [Fact]
    public async Task TheMetricsKeyScrapesAsABearerToken()
    {
        using var response = await ScrapeAsync(MetricsKey);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("metaanomaly_ingest_series", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task AnonymousCallersAreRefused401AndViewersAndWriters403()
    {
        using var anonymous = await ScrapeAsync(null);
        using var wrongKey = await ScrapeAsync("not-the-metrics-key");
        using var viewer = await ScrapeAsync(await KeyAsync(DashboardRoles.Viewer));
        using var writer = await ScrapeAsync(await KeyAsync(DashboardRoles.Writer));

        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, wrongKey.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, viewer.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, writer.StatusCode);
        Assert.DoesNotContain("metaanomaly_", await anonymous.Content.ReadAsStringAsync());
    }
}
