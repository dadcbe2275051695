using MetaAnomaly.Detection.Events;
using MetaAnomaly.Shared.Series;
using Microsoft.Extensions.Logging;

namespace MetaAnomaly.Detection.Sinks;

/// <summary>
/// Writes opened and closed events back to every <see cref="IWriteBack"/> (InfluxDB, as its configured measurement);
/// a failed write is logged and the event stays in the state database.
/// </summary>
internal sealed partial class WriteBackSink(IEnumerable<IWriteBack> writeBacks, ILogger<WriteBackSink> logger) : IDetectionSink
{
    public async Task HandleAsync(ScoringTick tick, CancellationToken cancellationToken)
    {
        foreach (var change in tick.Changes.Where(c => c.Kind is EventChangeKind.Opened or EventChangeKind.Closed))
        {
            await WriteBackAsync(change.Event, cancellationToken);
        }
    }

    private async Task WriteBackAsync(AnomalyEvent anomaly, CancellationToken cancellationToken)
    {
        var point = new WriteBackPoint(
            anomaly.Start,
            new Dictionary<string, string> { ["series_key"] = anomaly.SeriesKey, ["cluster"] = anomaly.ClusterId ?? "", ["severity"] = anomaly.Severity.ToString() },
            new Dictionary<string, double>
            {
                ["id"] = anomaly.Id,
                ["end_unix_ms"] = anomaly.End.ToUnixTimeMilliseconds(),
                ["value"] = anomaly.Value,
                ["forecast"] = anomaly.Forecast,
                ["band_lower"] = anomaly.BandLower,
                ["band_upper"] = anomaly.BandUpper,
                ["score"] = anomaly.Score,
                ["probability"] = anomaly.Probability,
                ["open"] = anomaly.Open ? 1 : 0,
            });
        foreach (var writeBack in writeBacks)
        {
            try
            {
                await writeBack.WriteAsync([point], cancellationToken);
            }
            catch (Exception exception) when (exception is not OperationCanceledException)
            {
                LogWriteBackFailed(exception, anomaly.Id);
            }
        }
    }

    [LoggerMessage(LogLevel.Warning, "Writing anomaly {EventId} back failed; it stays in the state database")]
    private partial void LogWriteBackFailed(Exception exception, long eventId);
}
