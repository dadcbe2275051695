using MetaAnomaly.Shared.Series;

namespace MetaAnomaly.Shared.Forecasts;

/// <summary>
/// Stretches of a series that the next adaptation must not learn as normal (confirmed or high-probability anomalies).
/// The detector provides it; the adapter masks those slots of the support window.
/// </summary>
public interface IAdaptationMask
{
    IReadOnlyList<TimeInterval> MaskedIntervals(SeriesKey key, DateTimeOffset from, DateTimeOffset to);
}

public readonly record struct TimeInterval(DateTimeOffset Start, DateTimeOffset End)
{
    public bool Contains(DateTimeOffset t) => t >= Start && t <= End;
}
