using MetaAnomaly.Detection.Scoring;
using MetaAnomaly.Detection.Storage;
using MetaAnomaly.Forecasting.ReadModel;
using MetaAnomaly.Shared.Series;
using Microsoft.Extensions.Options;

namespace MetaAnomaly.Dashboard.Charts;

/// <summary>
/// Assembles a <see cref="SeriesChartModel"/> from the buffers (actual values), the stored scores (one-step forecast
/// and band), the forecasting core's latest forecast and the stored anomaly events; downsamples wide ranges.
/// </summary>
public sealed class SeriesChartBuilder(
    ISeriesBuffers buffers,
    IAnomalyStore anomalies,
    IForecastingReadModel forecasting,
    IOptions<DashboardOptions> options)
{
    public async Task<SeriesChartModel> BuildAsync(SeriesKey key, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken)
    {
        var maxPoints = options.Value.ChartMaxPoints;
        var window = buffers.Range(key, from, to);
        var rawPoints = window?.Count ?? 0;
        var actual = window is null
            ? ChartLine.Empty
            : Line(Enumerable.Range(0, window.Count).Select(window.TimestampAt).ToArray(), window.Values, maxPoints);

        var scores = (await anomalies.ScoresAsync(key, from, to, cancellationToken)).Where(p => p.Scored || !double.IsNaN(p.Forecast)).ToArray();
        var times = scores.Select(p => p.Timestamp).ToArray();
        var forecast = Line(times, scores.Select(p => p.Forecast).ToArray(), maxPoints);
        var lower = Line(times, scores.Select(p => p.Forecast - HalfBand(p)).ToArray(), maxPoints);
        var upper = Line(times, scores.Select(p => p.Forecast + HalfBand(p)).ToArray(), maxPoints);

        var ahead = forecasting.ForecastOf(key) is { } next && next.Start + next.Step * next.Values.Count >= from && next.Start <= to
            ? new ChartLine(next.Values.Select((_, i) => next.Start + next.Step * i).ToArray(), next.Values.ToArray())
            : ChartLine.Empty;

        var events = await anomalies.ListAsync(new AnomalyQuery(Series: key.ToString(), From: from, To: to, PageSize: AnomalyQuery.Defaults.MaxPageSize), cancellationToken);
        var markers = events.Items
            .Select(e => new ChartMarker(e.Id, e.Peak, e.Value, $"{e.Severity} anomaly, score {e.Score:0.0}"))
            .ToArray();
        return new SeriesChartModel(key.ToString(), from, to, actual, forecast, lower, upper, ahead, markers, rawPoints, rawPoints > maxPoints);
    }

    /// <summary>Half-width of the normal band at a scored point: the rule's probability threshold as a z-score, times the scale.</summary>
    private static double HalfBand(ScoredPoint point) =>
        point.Threshold is > 0 and < 1 ? point.Scale * NormalQuantile.Of(0.5 + 0.5 * point.Threshold) : double.NaN;

    private static ChartLine Line(DateTimeOffset[] x, IReadOnlyList<double> y, int maxPoints)
    {
        var (keptX, keptY) = Downsampler.MinMax(x, y, maxPoints);
        return new ChartLine(keptX, keptY);
    }
}
