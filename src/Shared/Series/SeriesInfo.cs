namespace MetaAnomaly.Shared.Series;

/// <summary>What the catalogue knows of one series: its regular step (once detected) and its extent.</summary>
public sealed record SeriesInfo(
    SeriesKey Key,
    TimeSpan? Step,
    long PointCount,
    DateTimeOffset? FirstTimestamp,
    DateTimeOffset? LastTimestamp);
