namespace MetaAnomaly.Shared.Series;

/// <summary>
/// Writes MetaAnomaly's own output (forecasts, anomalies) back to the operator's time-series database so that
/// dashboards there (Grafana) can overlay it. Registered only when such a database is configured: consumers take
/// <c>IEnumerable&lt;IWriteBack&gt;</c> and write to none when none is registered.
/// </summary>
public interface IWriteBack
{
    /// <summary>Writes anomaly rows where the write-back is configured to (for InfluxDB, <c>Ingest:WriteBack:Measurement</c>).</summary>
    ValueTask WriteAsync(IReadOnlyList<WriteBackPoint> points, CancellationToken cancellationToken);
}

/// <summary>One row to write back: tags, numeric and string fields, a timestamp.</summary>
public sealed record WriteBackPoint(
    DateTimeOffset Timestamp,
    IReadOnlyDictionary<string, string> Tags,
    IReadOnlyDictionary<string, double> Fields,
    IReadOnlyDictionary<string, string>? StringFields = null);
