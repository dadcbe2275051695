namespace MetaAnomaly.Shared.Series;

/// <summary>One observed value of one series, as it arrives from a source.</summary>
public readonly record struct DataPoint(SeriesKey Key, DateTimeOffset Timestamp, double Value);
