using System.Diagnostics.Metrics;
using MetaAnomaly.Forecasting.ReadModel;
using MetaAnomaly.Ingest.Status;
using MetaAnomaly.Shared.Forecasts;
using MetaAnomaly.Shared.Telemetry;

namespace MetaAnomaly.Dashboard.Telemetry;

/// <summary>
/// The readings of the product's state that are taken when <c>/metrics</c> is scraped, from the public read models:
/// ingest lag, buffered series and points not kept by reason (ingestion status) and series per model state
/// (forecasting read model).
/// </summary>
internal sealed class ProductGauges
{
    public ProductGauges(IMeterFactory meters, IIngestStatus ingest, IForecastingReadModel forecasting)
    {
        var meter = meters.Create(ProductMetrics.MeterName);
        meter.CreateObservableGauge("metaanomaly.ingest.lag", () => Lag(ingest),
            "s", "Wall time minus the newest buffered timestamp (negative for the accelerated demo)");
        meter.CreateObservableGauge("metaanomaly.ingest.series", () => ingest.Current().Series, "{series}", "Series in the buffers");
        meter.CreateObservableCounter("metaanomaly.ingest.skipped", () => Skipped(ingest),
            "{point}", "Points not kept, by reason: over_capacity (new series beyond the series budget), not_finite, out_of_range, too_old");
        meter.CreateObservableGauge("metaanomaly.series.state", () => SeriesPerState(forecasting),
            "{series}", "Series the forecasting core knows, by model state");
    }

    /// <summary>No reading while nothing is buffered.</summary>
    private static IEnumerable<Measurement<double>> Lag(IIngestStatus ingest)
    {
        if (ingest.Current().Lag is { } lag)
        {
            yield return new Measurement<double>(lag.TotalSeconds);
        }
    }

    private static IEnumerable<Measurement<long>> Skipped(IIngestStatus ingest)
    {
        var status = ingest.Current();
        (string Reason, long Points)[] skipped =
            [("over_capacity", status.SkippedOverCapacity), ("not_finite", status.SkippedNotFinite), ("out_of_range", status.SkippedOutOfRange), ("too_old", status.SkippedTooOld)];
        return skipped.Select(s => new Measurement<long>(s.Points, new KeyValuePair<string, object?>("reason", s.Reason)));
    }

    private static IEnumerable<Measurement<int>> SeriesPerState(IForecastingReadModel forecasting)
    {
        var counts = forecasting.SeriesStates().CountBy(s => s.Status).ToDictionary();
        return Enum.GetValues<SeriesModelStatus>().Select(status =>
            new Measurement<int>(counts.GetValueOrDefault(status), new KeyValuePair<string, object?>("state", status.ToString())));
    }
}
