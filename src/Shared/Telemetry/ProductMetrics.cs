using System.Diagnostics.Metrics;

namespace MetaAnomaly.Shared.Telemetry;

/// <summary>
/// The product's own meter, <c>MetaAnomaly</c>: every project records what it does here with one call, and the host
/// exports it (Prometheus text on <c>/metrics</c>). Readings that the host can take from public services at scrape
/// time (lag, series per state) are the host's observable gauges, not recorded here.
/// </summary>
public static class ProductMetrics
{
    public const string MeterName = "MetaAnomaly";

    private static readonly Meter Meter = new(MeterName);

    private static readonly Counter<long> PointsIngested =
        Meter.CreateCounter<long>("metaanomaly.ingest.points", "{point}", "Points accepted into the series buffers, by source");

    private static readonly Histogram<double> AdaptationDuration =
        Meter.CreateHistogram<double>("metaanomaly.adaptation.duration", "s", "Wall time of an adaptation run that adapted series, by trigger");

    private static readonly Histogram<double> AdaptationRate =
        Meter.CreateHistogram<double>("metaanomaly.adaptation.rate", "{series}/s", "Series adapted per second of an adaptation run, by trigger");

    private static readonly Histogram<double> ForecastDuration =
        Meter.CreateHistogram<double>("metaanomaly.forecast.duration", "s", "Wall time of one batch of one-step forecasts");

    private static readonly Counter<long> EventsOpened =
        Meter.CreateCounter<long>("metaanomaly.events.opened", "{event}", "Anomaly events opened");

    private static readonly Counter<long> WebhookDeliveries =
        Meter.CreateCounter<long>("metaanomaly.webhook.deliveries", "{attempt}", "Webhook delivery attempts, by outcome (the delivery's state after it)");

    private static readonly Gauge<long> WebhookDue =
        Meter.CreateGauge<long>("metaanomaly.webhook.due", "{delivery}", "Webhook deliveries due at the dispatcher's last poll (it reads at most 500)");

    /// <param name="source">The source's name: demo, influx-pull, or the push protocol (InfluxWrite, InfluxV2Write, PrometheusRemoteWrite).</param>
    public static void Ingested(string source, long points) => PointsIngested.Add(points, new KeyValuePair<string, object?>("source", source));

    public static void Adapted(string trigger, TimeSpan duration, int series)
    {
        var tag = new KeyValuePair<string, object?>("trigger", trigger);
        AdaptationDuration.Record(duration.TotalSeconds, tag);
        if (duration > TimeSpan.Zero)
        {
            AdaptationRate.Record(series / duration.TotalSeconds, tag);
        }
    }

    public static void Forecasted(TimeSpan duration) => ForecastDuration.Record(duration.TotalSeconds);

    public static void EventOpened() => EventsOpened.Add(1);

    /// <param name="outcome">Delivered, Pending (to be retried) or DeadLettered.</param>
    public static void WebhookAttempted(string outcome) => WebhookDeliveries.Add(1, new KeyValuePair<string, object?>("outcome", outcome));

    public static void WebhooksDue(int deliveries) => WebhookDue.Record(deliveries);
}
