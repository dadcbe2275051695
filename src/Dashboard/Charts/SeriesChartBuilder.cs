using MetaAnomaly.Detection.Events;
using MetaAnomaly.Detection.Muting;
using MetaAnomaly.Detection.Scoring;
using MetaAnomaly.Detection.Storage;
using MetaAnomaly.Forecasting.ReadModel;
using MetaAnomaly.Shared.Series;
using Microsoft.Extensions.Options;

namespace MetaAnomaly.Dashboard.Charts;

/// <summary>
/// Assembles a <see cref="SeriesChartModel"/> from the buffers (actual values), the stored scores (one-step forecast
/// and band), the forecasting core's latest forecast, the stored anomaly events and the maintenance windows; downsamples
/// wide ranges.
/// </summary>
public sealed class SeriesChartBuilder(
    ISeriesBuffers buffers,
    IAnomalyStore anomalies,
    IForecastingReadModel forecasting,
    NormalBandWidth bandWidth,
    MaintenanceWindowStore maintenance,
    IOptions<DashboardOptions> options)
{
    /// <summary>The most excused points one chart draws (the furthest outside the band are kept).</summary>
    public const int MaxExcusedMarkers = 300;

    /// <summary>The most occurrences of one recurring maintenance window a chart shades.</summary>
    public const int MaxMutedSpans = 100;

    public async Task<SeriesChartModel> BuildAsync(SeriesKey key, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken)
    {
        var maxPoints = options.Value.ChartMaxPoints;
        var window = buffers.Range(key, from, to);
        var rawPoints = window?.Count ?? 0;
        var actual = window is null
            ? ChartLine.Empty
            : Line(Enumerable.Range(0, window.Count).Select(window.TimestampAt).ToArray(), window.Values, maxPoints);

        var scores = (await anomalies.ScoresAsync(key, from, to, cancellationToken)).Where(p => double.IsFinite(p.Forecast)).ToArray();
        var times = scores.Select(p => p.Timestamp).ToArray();
        var clusterId = forecasting.StateOf(key).ClusterId;
        var bandZ = bandWidth.InScales(key, clusterId);
        var forecast = Line(times, scores.Select(p => p.Forecast).ToArray(), maxPoints);
        var lower = Line(times, scores.Select(p => p.Forecast - bandZ * p.Scale).ToArray(), maxPoints);
        var upper = Line(times, scores.Select(p => p.Forecast + bandZ * p.Scale).ToArray(), maxPoints);

        var ahead = forecasting.ForecastOf(key) is { } next && next.Start + next.Step * next.Values.Count >= from && next.Start <= to
            ? new ChartLine(next.Values.Select((_, i) => next.Start + next.Step * i).ToArray(), next.Values.ToArray())
            : ChartLine.Empty;

        var events = await anomalies.ListAsync(new AnomalyQuery(Series: key.ToString(), From: from, To: to, PageSize: AnomalyQuery.Defaults.MaxPageSize), cancellationToken);
        var markers = events.Items
            .Select(e => new ChartMarker(e.Id, e.Peak, e.Value, $"{e.Severity} anomaly, score {e.AnomalyScore:0}/100"))
            .ToArray();
        var excused = Excused(scores, bandZ, events.Items);
        var muted = (await maintenance.ListAsync(cancellationToken))
            .Where(w => w.Applies(key.ToString(), clusterId))
            .SelectMany(w => w.Occurrences(from, to).Take(MaxMutedSpans).Select(o => new MutedSpan(o.Start, o.End, w.Name)))
            .ToArray();
        return new SeriesChartModel(key.ToString(), from, to, actual, forecast, lower, upper, ahead, markers, excused, muted, rawPoints, rawPoints > maxPoints);
    }

    /// <summary>
    /// Points outside the band drawn on the chart (|score| above its half-width) that belong to no event: the operator
    /// sees them leave the band, so the chart says why they did not alert.
    /// </summary>
    private static ExcusedMarker[] Excused(IReadOnlyList<ScoredPoint> scores, double bandZ, IReadOnlyList<AnomalyEvent> events)
    {
        if (!double.IsFinite(bandZ))
        {
            return [];
        }
        return scores
            .Where(p => !p.Anomalous && Math.Abs(p.Score) > bandZ && !events.Any(e => p.Timestamp >= e.Start && p.Timestamp <= e.End))
            .OrderByDescending(p => Math.Abs(p.Score))
            .Take(MaxExcusedMarkers)
            .OrderBy(p => p.Timestamp)
            .Select(p => new ExcusedMarker(p.Timestamp, p.Value, WhyNotAlerted(p)))
            .ToArray();
    }

    private static string WhyNotAlerted(ScoredPoint point) => point.Reason is { Length: > 0 } reason
        ? $"no alert: {reason}"
        : $"no alert: its calibrated score {AnomalyScore.FromSurprise(point.Surprise):0}/100 stayed below the alarm threshold";

    private static ChartLine Line(DateTimeOffset[] x, IReadOnlyList<double> y, int maxPoints)
    {
        var (keptX, keptY) = Downsampler.MinMax(x, y, maxPoints);
        return new ChartLine(keptX, keptY);
    }
}
