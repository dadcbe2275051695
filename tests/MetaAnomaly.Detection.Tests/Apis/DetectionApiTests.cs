using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using MetaAnomaly.Detection.Apis;
using MetaAnomaly.Detection.Events;
using MetaAnomaly.Detection.Storage;
using MetaAnomaly.Detection.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace MetaAnomaly.Detection.Tests.Apis;

public sealed class DetectionApiTests : IAsyncLifetime
{
    private DetectionHost _host = null!;

    public async Task InitializeAsync() => _host = await DetectionHost.StartAsync(new Dictionary<string, string?>
    {
        ["Detection:Feedback:MinVerdicts"] = "3",
    });

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task ListsAnomaliesAsJsonArrayWithFilterSortAndPage()
    {
        var store = _host.App.Services.GetRequiredService<IAnomalyStore>();
        await store.UpsertAsync(Event("cpu,host=a#usage", 0, AnomalySeverity.Low, 3), default);
        await store.UpsertAsync(Event("cpu,host=b#usage", 1, AnomalySeverity.Critical, 9), default);
        await store.UpsertAsync(Event("disk,host=a#used", 2, AnomalySeverity.High, 6), default);

        using var all = await _host.Client.SendAsync(_host.Request(HttpMethod.Get, "/api/anomalies", "viewer"));
        using var json = JsonDocument.Parse(await all.Content.ReadAsStringAsync());

        Assert.Equal(HttpStatusCode.OK, all.StatusCode);
        Assert.Equal(JsonValueKind.Array, json.RootElement.ValueKind);
        Assert.Equal("3", all.Headers.GetValues(DetectionApi.TotalCountHeader).Single());
        var newest = json.RootElement[0];
        Assert.Equal("disk,host=a#used", newest.GetProperty("seriesKey").GetString());
        Assert.Equal("High", newest.GetProperty("severity").GetString());
        Assert.Equal(6, newest.GetProperty("score").GetDouble());
        Assert.True(newest.TryGetProperty("start", out _) && newest.TryGetProperty("end", out _));

        var filtered = await Get<AnomalyEvent[]>("/api/anomalies?minSeverity=High&sort=Score&desc=false");
        Assert.Equal(["disk,host=a#used", "cpu,host=b#usage"], filtered.Select(e => e.SeriesKey));
        var prefixed = await Get<AnomalyEvent[]>("/api/anomalies?series=cpu*&pageSize=1&page=2");
        Assert.Equal("cpu,host=a#usage", Assert.Single(prefixed).SeriesKey);
        using var bad = await _host.Client.SendAsync(_host.Request(HttpMethod.Get, "/api/anomalies?pageSize=0", "viewer"));
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Equal("application/problem+json", bad.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task ReadsNeedViewerAndWritesNeedAdmin()
    {
        using var anonymous = await _host.Client.SendAsync(_host.Request(HttpMethod.Get, "/api/anomalies", null));
        using var viewerWrite = await _host.Client.SendAsync(_host.Request(HttpMethod.Post, "/api/anomalies/1/feedback", "viewer", new FeedbackRequest(AnomalyFeedbackKind.Confirmed)));

        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, viewerWrite.StatusCode);
    }

    [Fact]
    public async Task FeedbackIsStoredReportedAsPrecisionTunesClusterThresholdWithinBoundsAndCanBeCleared()
    {
        var store = _host.App.Services.GetRequiredService<IAnomalyStore>();
        var ids = new List<long>();
        for (var i = 0; i < 4; i++)
        {
            ids.Add((await store.UpsertAsync(Event($"cpu,host={i}#usage", i, AnomalySeverity.High, 8), default)).Id);
        }

        using var missing = await _host.Client.SendAsync(_host.Request(HttpMethod.Post, "/api/anomalies/999/feedback", "admin", new FeedbackRequest(AnomalyFeedbackKind.Dismissed)));
        using var invalid = await _host.Client.SendAsync(_host.Request(HttpMethod.Post, $"/api/anomalies/{ids[0]}/feedback", "admin", new FeedbackRequest((AnomalyFeedbackKind)7)));
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, invalid.StatusCode);

        foreach (var (id, verdict) in ids.Zip([AnomalyFeedbackKind.Confirmed, AnomalyFeedbackKind.Dismissed, AnomalyFeedbackKind.Dismissed, AnomalyFeedbackKind.Dismissed]))
        {
            using var response = await _host.Client.SendAsync(_host.Request(HttpMethod.Post, $"/api/anomalies/{id}/feedback", "admin", new FeedbackRequest(verdict, "checked")));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal(verdict, (await response.Content.ReadFromJsonAsync<AnomalyEvent>())!.Feedback);
        }

        var precision = Assert.Single(await Get<JsonElement[]>("/api/anomalies/precision"));
        Assert.Equal("c1", precision.GetProperty("clusterId").GetString());
        Assert.Equal(0.25, precision.GetProperty("precision").GetDouble(), 9);
        var tuned = precision.GetProperty("thresholds").GetProperty("default").GetDouble();
        var options = _host.App.Services.GetRequiredService<IOptions<DetectionOptions>>().Value;
        Assert.True(tuned > AlarmRuleOptions.Defaults.Threshold, $"tuned {tuned}");
        Assert.InRange(tuned, options.Feedback.MinThreshold, options.Feedback.MaxThreshold);
        Assert.Equal(AnomalyFeedbackKind.Dismissed, (await Get<AnomalyEvent>($"/api/anomalies/{ids[1]}")).Feedback);

        using var cleared = await _host.Client.SendAsync(_host.Request(HttpMethod.Post, $"/api/anomalies/{ids[1]}/feedback", "admin", new FeedbackRequest(AnomalyFeedbackKind.None)));
        Assert.Equal(AnomalyFeedbackKind.None, (await cleared.Content.ReadFromJsonAsync<AnomalyEvent>())!.Feedback);
        Assert.Equal(2, Assert.Single(await Get<JsonElement[]>("/api/anomalies/precision")).GetProperty("dismissed").GetInt32());
    }

    [Fact]
    public async Task WebhookSecretsNeverLeaveTheApi()
    {
        const string secret = "hmac-key-do-not-show";
        var request = new { name = "ops", url = "http://127.0.0.1:9/hook", secret, headers = new Dictionary<string, string> { ["Authorization"] = "Bearer token-do-not-show" }, minSeverity = "High" };

        using var created = await _host.Client.SendAsync(_host.Request(HttpMethod.Post, "/api/webhooks", "admin", request));
        var createdBody = await created.Content.ReadAsStringAsync();
        using var list = await _host.Client.SendAsync(_host.Request(HttpMethod.Get, "/api/webhooks", "admin"));
        var listBody = await list.Content.ReadAsStringAsync();
        using var invalid = await _host.Client.SendAsync(_host.Request(HttpMethod.Post, "/api/webhooks", "admin", new { name = "bad", url = "ftp://x" }));

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        foreach (var body in new[] { createdBody, listBody })
        {
            Assert.DoesNotContain(secret, body);
            Assert.DoesNotContain("token-do-not-show", body);
            Assert.Contains("\"hasSecret\":true", body);
        }
        Assert.Equal(HttpStatusCode.BadRequest, invalid.StatusCode);
    }

    private async Task<T> Get<T>(string path)
    {
        using var response = await _host.Client.SendAsync(_host.Request(HttpMethod.Get, path, "viewer"));
        Assert.True(response.IsSuccessStatusCode, $"{path}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        return (await response.Content.ReadFromJsonAsync<T>())!;
    }

    private static AnomalyEvent Event(string series, int hour, AnomalySeverity severity, double score)
    {
        var start = Synthetic.Start.AddHours(hour);
        return new AnomalyEvent(0, series, "c1", start, start.AddMinutes(10), start, 10, 5, 4, 6, score, 0.99999, severity,
            AnomalyDirection.Up, "default", false, 3, AnomalyFeedbackKind.None, start);
    }
}
