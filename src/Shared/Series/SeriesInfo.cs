namespace MetaAnomaly.Shared.Series;

/// <summary>What the catalogue knows of one series: its regular step (once detected) and its extent.</summary>
public sealed record SeriesInfo(
    SeriesKey Key,
    TimeSpan? Step,
    long PointCount,
    DateTimeOffset? FirstTimestamp,
    DateTimeOffset? LastTimestamp)
{
    /// <summary>
    /// The latest point this process read back from storage (its snapshot and write-ahead log after a restart, the
    /// cluster's store when a node takes the series' shard over) rather than received itself; null when it recovered none.
    /// </summary>
    public DateTimeOffset? RecoveredThrough { get; init; }
}
