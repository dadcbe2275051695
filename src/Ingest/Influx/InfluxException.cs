namespace MetaAnomaly.Ingest.Influx;

public enum InfluxErrorKind
{
    /// <summary>No connection, or the server kept answering 5xx through every retry.</summary>
    Unreachable,
    Unauthorized,
    DatabaseNotFound,
    /// <summary>InfluxDB refused the query (syntax, unknown function) or reported an error in its result.</summary>
    QueryFailed,
    /// <summary>InfluxDB refused some or all written lines (400: partial write, field type conflict).</summary>
    WriteRejected,
    TooLarge,
}

/// <summary>A failure talking to InfluxDB, with what went wrong in words that name the setting to check.</summary>
public sealed class InfluxException(InfluxErrorKind kind, string message, Exception? inner = null) : Exception(message, inner)
{
    public InfluxErrorKind Kind { get; } = kind;
}
