namespace MetaAnomaly.Ingest.Status;

/// <summary>Read model of ingestion health, for the dashboard and <c>/health</c>.</summary>
public interface IIngestStatus
{
    IngestHealth Current();
}

/// <summary>State of the connection to the configured InfluxDB.</summary>
public enum InfluxConnectionState
{
    NotConfigured,
    Unknown,
    Connected,
    Unreachable,
    Unauthorized,
    Failing,
}

/// <summary>
/// One reading of ingestion health. <see cref="Lag"/> is wall time minus the newest buffered timestamp (negative for
/// the accelerated demo, whose data clock runs ahead). <see cref="SkippedOverCapacity"/> counts the points of series
/// refused by the series budget (each answered as a partial write).
/// </summary>
public sealed record IngestHealth(
    IReadOnlyList<string> Sources,
    double PointsPerSecond,
    long PointsAccepted,
    long SkippedNotFinite,
    long SkippedOutOfRange,
    long SkippedOverCapacity,
    long RejectedLines,
    long NonNumericFields,
    int Series,
    TimeSpan? Lag,
    InfluxConnectionState Influx,
    string? LastError,
    DateTimeOffset? LastErrorAt,
    long SkippedTooOld);
