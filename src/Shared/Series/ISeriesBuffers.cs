namespace MetaAnomaly.Shared.Series;

/// <summary>
/// Read side of the per-series ring buffers that ingestion fills. Safe to call while ingestion writes.
/// </summary>
public interface ISeriesBuffers
{
    /// <summary>Every series seen so far, with its detected step and extent.</summary>
    IReadOnlyList<SeriesInfo> ListSeries();

    SeriesInfo? Describe(SeriesKey key);

    /// <summary>
    /// The latest <paramref name="maxPoints"/> regular slots of the series (NaN for gaps), or null while the series is
    /// unknown or its step is not yet known.
    /// </summary>
    SeriesWindow? Latest(SeriesKey key, int maxPoints);

    /// <summary>The regular slots from <paramref name="from"/> (inclusive) to <paramref name="to"/> (inclusive).</summary>
    SeriesWindow? Range(SeriesKey key, DateTimeOffset from, DateTimeOffset to);
}
