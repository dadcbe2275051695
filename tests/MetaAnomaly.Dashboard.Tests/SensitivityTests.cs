using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using MetaAnomaly.Dashboard.Security;
using MetaAnomaly.Dashboard.Tests.Support;
using MetaAnomaly.Detection;
using MetaAnomaly.Detection.Preview;
using MetaAnomaly.Detection.Rules;
using MetaAnomaly.Detection.Sensitivity;
using MetaAnomaly.Detection.Storage;
using MetaAnomaly.Shared.Series;
using MetaAnomaly.Shared.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace MetaAnomaly.Dashboard.Tests;

/// <summary>Sensitivity per series and per cluster through the API, as the detector's thresholds see it, and the alert preview.</summary>
public sealed class SensitivityTests(QuietDashboard dashboard) : IClassFixture<QuietDashboard>
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private readonly DashboardHost _host = dashboard.Host;

    [Fact]
    public async Task ASeriesOwnSensitivityWinsOverItsClustersAndClearingItFallsBackToTheCluster()
    {
        using var client = await AdminClientAsync();
        var own = SeriesKey.Parse("net,host=edge-1#rx_bytes");
        var sibling = SeriesKey.Parse("net,host=edge-2#rx_bytes");
        var rule = _host.Services.GetRequiredService<IOptions<DetectionOptions>>().Value.EffectiveRules[0];
        var thresholds = _host.Services.GetRequiredService<IThresholdSource>();

        Assert.Equal(HttpStatusCode.OK, (await client.PutAsJsonAsync("/api/detection/sensitivities/clusters/c-net", new { sensitivity = "Low" })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.PutAsJsonAsync($"/api/detection/sensitivities/series?key={Uri.EscapeDataString(own.ToString())}", new { sensitivity = "High" })).StatusCode);
        Assert.Equal(0.999, thresholds.ThresholdFor(own, "c-net", rule), 12);
        Assert.Equal(0.999999, thresholds.ThresholdFor(sibling, "c-net", rule), 12);
        Assert.Equal(rule.Threshold, thresholds.ThresholdFor(sibling, "c-other", rule));
        var listed = await client.GetFromJsonAsync<SensitivitySetting[]>("/api/detection/sensitivities", Json);
        Assert.Contains(listed!, s => s is { Scope: SensitivityScope.Series, Sensitivity: AlertSensitivity.High, SetBy: "key:test-admin" } && s.Target == own.ToString());

        Assert.Equal(HttpStatusCode.NoContent, (await client.DeleteAsync($"/api/detection/sensitivities/series?key={Uri.EscapeDataString(own.ToString())}")).StatusCode);
        Assert.Equal(0.999999, thresholds.ThresholdFor(own, "c-net", rule), 12);

        var reloaded = new SensitivityStore(_host.Services.GetRequiredService<IStateDatabase>(), TimeProvider.System);
        await reloaded.StartAsync(default);
        Assert.Equal(new EffectiveSensitivity(AlertSensitivity.Low, SensitivityScope.Cluster), reloaded.EffectiveFor(own, "c-net"));
        await client.DeleteAsync("/api/detection/sensitivities/clusters/c-net");
    }

    [Fact]
    public async Task ABadSensitivityOrSeriesKeyIsAValidationProblem()
    {
        using var client = await AdminClientAsync();
        var badLevel = await client.PutAsJsonAsync("/api/detection/sensitivities/clusters/c1", new { sensitivity = 7 });
        var badKey = await client.GetAsync("/api/detection/preview?key=no-field&sensitivity=High&from=2026-11-28T00:00:00Z&to=2026-11-29T00:00:00Z");
        Assert.Equal(HttpStatusCode.BadRequest, badLevel.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, badKey.StatusCode);
        Assert.Contains("key", await badKey.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ThePreviewReplaysTheStoredPointsAndAlertsMoreTheHigherTheSensitivity()
    {
        var key = SeriesKey.Parse("api,host=preview-1#latency");
        await _host.Services.GetRequiredService<IAnomalyStore>().SaveScoresAsync(StoredScores.For(key), default);
        using var client = await AdminClientAsync();

        async Task<AlertPreviewResult> PreviewAsync(string sensitivity) => (await client.GetFromJsonAsync<AlertPreviewResult>(
            $"/api/detection/preview?key={Uri.EscapeDataString(key.ToString())}&sensitivity={sensitivity}" +
            $"&from={Uri.EscapeDataString(StoredScores.End.AddDays(-1).ToString("O"))}&to={Uri.EscapeDataString(StoredScores.End.ToString("O"))}", Json))!;
        var low = await PreviewAsync("Low");
        var medium = await PreviewAsync("Medium");
        var high = await PreviewAsync("High");

        var primingPoints = _host.Services.GetRequiredService<IOptions<DetectionOptions>>().Value.PrimingPoints;
        Assert.Equal((primingPoints, 1441), (high.PrimedPoints, high.ReplayedPoints));
        Assert.NotEmpty(low.Alerts);
        Assert.True(low.Alerts.Count < medium.Alerts.Count && medium.Alerts.Count < high.Alerts.Count,
            $"alerts at Low / Medium / High: {low.Alerts.Count} / {medium.Alerts.Count} / {high.Alerts.Count}: " + string.Join(", ", high.Alerts.Select(a => $"{a.Start:HH:mm} {a.AnomalyScore:0}")));
        Assert.All(low.Alerts, a => Assert.Contains(high.Alerts, h => h.Start == a.Start));
        Assert.Equal(0.999, high.Threshold, 12);
    }

    [Fact]
    public async Task AClusterPreviewReplaysEachMemberAtTheSensitivityItWouldApplyAndSumsTheAlertsPerDay()
    {
        var own = SeriesKey.Parse("api,host=cluster-preview-1#latency");
        var follower = SeriesKey.Parse("api,host=cluster-preview-2#latency");
        var store = _host.Services.GetRequiredService<IAnomalyStore>();
        await store.SaveScoresAsync(StoredScores.For(own), default);
        await store.SaveScoresAsync(StoredScores.For(follower, seed: 8), default);
        var sensitivities = _host.Services.GetRequiredService<SensitivityStore>();
        await sensitivities.SetAsync(SensitivityScope.Series, own.ToString(), AlertSensitivity.Low, "test", default);
        var preview = _host.Services.GetRequiredService<AlertPreview>();
        var (from, to) = (StoredScores.End.AddDays(-1), StoredScores.End);

        var cluster = await preview.RunClusterAsync("c-preview", [own, follower], AlertSensitivity.High, from, to, default);
        await sensitivities.ClearAsync(SensitivityScope.Series, own.ToString(), default);

        var ownAlone = await preview.RunAsync(own, AlertSensitivity.Low, from, to, default);
        var followerAlone = await preview.RunAsync(follower, AlertSensitivity.High, from, to, default);
        var byKey = cluster.Members.ToDictionary(m => m.SeriesKey);
        Assert.Equal((AlertSensitivity.Low, true), (byKey[own.ToString()].Sensitivity, byKey[own.ToString()].OwnSetting));
        Assert.Equal((AlertSensitivity.High, false), (byKey[follower.ToString()].Sensitivity, byKey[follower.ToString()].OwnSetting));
        Assert.Equal(ownAlone.Alerts.Count, byKey[own.ToString()].Alerts.Count);
        Assert.Equal(followerAlone.Alerts.Count, byKey[follower.ToString()].Alerts.Count);
        Assert.True(ownAlone.Alerts.Count < followerAlone.Alerts.Count, $"Low {ownAlone.Alerts.Count}, High {followerAlone.Alerts.Count}");

        Assert.Equal([DateOnly.FromDateTime(from.UtcDateTime), DateOnly.FromDateTime(to.UtcDateTime)], cluster.PerDay.Select(d => d.Day));
        Assert.Equal(cluster.Alerts, cluster.PerDay.Sum(d => d.Alerts));
        Assert.Equal(ownAlone.Alerts.Count + followerAlone.Alerts.Count, cluster.Alerts);
        Assert.Equal(ownAlone.ReplayedPoints + followerAlone.ReplayedPoints, cluster.PerDay.Sum(d => d.StoredPoints));
        Assert.False(cluster.Coverage.BeyondRetention);
    }

    [Fact]
    public async Task APreviewReachingPastTheScoreRetentionSaysItCoversOnlyTheStoredPoints()
    {
        var key = SeriesKey.Parse("api,host=preview-30d#latency");
        await _host.Services.GetRequiredService<IAnomalyStore>().SaveScoresAsync(StoredScores.For(key), default);
        using var client = await AdminClientAsync();

        var result = (await client.GetFromJsonAsync<AlertPreviewResult>(
            $"/api/detection/preview?key={Uri.EscapeDataString(key.ToString())}&sensitivity=Medium" +
            $"&from={Uri.EscapeDataString(StoredScores.End.AddDays(-30).ToString("O"))}&to={Uri.EscapeDataString(StoredScores.End.ToString("O"))}", Json))!;

        var retention = _host.Services.GetRequiredService<IOptions<DetectionOptions>>().Value.ScoreRetention;
        Assert.Equal(new PreviewCoverage(retention, StoredScores.Start, BeyondRetention: true), result.Coverage);
        Assert.Equal((0, StoredScores.Points), (result.PrimedPoints, result.ReplayedPoints));
    }

    [Fact]
    public async Task AClusterPreviewOfAnUnknownClusterIsNotFound()
    {
        using var client = await AdminClientAsync();
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/api/clusters/no-such-cluster/preview?sensitivity=High")).StatusCode);
    }

    private async Task<HttpClient> AdminClientAsync()
    {
        var client = _host.CreateClient();
        client.DefaultRequestHeaders.Add(ApiKeyAuthenticationHandler.HeaderName, await _host.CreateKeyAsync(DashboardRoles.Admin));
        return client;
    }
}
