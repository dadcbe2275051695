using MetaAnomaly.Detection.Events;
using MetaAnomaly.Detection.Storage;
using MetaAnomaly.Forecasting.ReadModel;
using MetaAnomaly.Ingest.Status;
using MetaAnomaly.Shared.Forecasts;
using MetaAnomaly.Shared.Series;

namespace MetaAnomaly.Dashboard.Overview;

/// <summary>Anomalies started in one hour.</summary>
public sealed record HourlyCount(DateTimeOffset Hour, int Count);

/// <summary>Everything the overview shows, read in one go.</summary>
public sealed record OverviewView(
    IReadOnlyDictionary<AnomalySeverity, int> OpenBySeverity,
    IReadOnlyList<HourlyCount> Hourly,
    IReadOnlyList<AnomalyEvent> Latest,
    IngestHealth Ingest,
    int Clusters,
    IReadOnlyList<string> Learners,
    int Adapted,
    int WarmingUp,
    int Failed,
    AdaptationRunSummary? LastAdaptation,
    DateTimeOffset? NextAdaptation,
    ForecastingActivity? Activity,
    IReadOnlyList<string> Problems);

/// <summary>Reads the overview from ingestion, forecasting and detection; lists what is unhealthy, with its reason.</summary>
public sealed class OverviewReader(IAnomalyDirectory anomalies, IIngestStatus ingest, IForecastingReadModel forecasting, ISeriesBuffers buffers, TimeProvider clock)
{
    public async Task<OverviewView> ReadAsync(CancellationToken cancellationToken)
    {
        var open = new Dictionary<AnomalySeverity, int>();
        var atLeast = new Dictionary<AnomalySeverity, int>();
        foreach (var severity in Enum.GetValues<AnomalySeverity>())
        {
            atLeast[severity] = (await anomalies.ListAsync(new AnomalyQuery(MinSeverity: severity, Open: true, PageSize: 1), cancellationToken)).Total;
        }
        foreach (var severity in Enum.GetValues<AnomalySeverity>())
        {
            open[severity] = atLeast[severity] - (severity == AnomalySeverity.Critical ? 0 : atLeast[severity + 1]);
        }

        // The demo replays on an accelerated data clock: "the last 24 hours" end at the newest data, not at the wall clock.
        var newest = buffers.ListSeries().Select(s => s.LastTimestamp).Where(t => t is not null).Max() ?? clock.GetUtcNow();
        var end = newest > clock.GetUtcNow() ? newest : clock.GetUtcNow();
        var start = end - TimeSpan.FromHours(24);
        var recent = await anomalies.ListAsync(new AnomalyQuery(From: start, To: end, PageSize: AnomalyQuery.Defaults.MaxPageSize), cancellationToken);
        var firstHour = new DateTimeOffset(start.UtcDateTime.Year, start.UtcDateTime.Month, start.UtcDateTime.Day, start.UtcDateTime.Hour, 0, 0, TimeSpan.Zero);
        var hourly = Enumerable.Range(0, 25)
            .Select(h => firstHour.AddHours(h))
            .Select(hour => new HourlyCount(hour, recent.Items.Count(e => e.Start >= hour && e.Start < hour.AddHours(1))))
            .ToArray();
        var latest = (await anomalies.ListAsync(new AnomalyQuery(PageSize: 8), cancellationToken)).Items;

        var health = ingest.Current();
        var clusters = forecasting.Clusters();
        var states = forecasting.SeriesStates();
        var last = forecasting.LastAdaptation;
        var problems = new List<string>();
        if (health.Influx is InfluxConnectionState.Unreachable or InfluxConnectionState.Unauthorized or InfluxConnectionState.Failing)
        {
            problems.Add($"InfluxDB is {health.Influx}" + (health.LastError is null ? "." : $": {health.LastError}"));
        }
        else if (health.LastError is not null && health.LastErrorAt > clock.GetUtcNow() - TimeSpan.FromMinutes(10))
        {
            problems.Add($"Ingestion error at {health.LastErrorAt:HH:mm:ss}: {health.LastError}");
        }
        foreach (var failed in states.Where(s => s.Status == SeriesModelStatus.Failed).Take(5))
        {
            problems.Add($"{failed.Key}: {failed.Reason ?? "model failed"}");
        }
        if (last is { Errors.Count: > 0 })
        {
            problems.AddRange(last.Errors.Take(5).Select(e => $"Last adaptation: {e}"));
        }
        return new OverviewView(
            open, hourly, latest, health, clusters.Count,
            clusters.Select(c => c.Learner).OfType<string>().Distinct().Order().ToArray(),
            states.Count(s => s.Status == SeriesModelStatus.Adapted),
            states.Count(s => s.Status == SeriesModelStatus.WarmingUp),
            states.Count(s => s.Status == SeriesModelStatus.Failed),
            last, forecasting.NextScheduledAdaptation, forecasting.CurrentActivity, problems);
    }
}
