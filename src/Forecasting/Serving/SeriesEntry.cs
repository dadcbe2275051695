using MetaAnomaly.Forecasting.ReadModel;
using MetaAnomaly.Shared.Forecasts;
using MetaAnomaly.Shared.Series;

namespace MetaAnomaly.Forecasting.Serving;

/// <summary>What the core knows of one series; replaced whole, never mutated.</summary>
internal sealed record SeriesEntry(
    SeriesKey Key,
    TimeSpan? Step,
    int? Period,
    IReadOnlyList<double> Profile,
    string? ClusterId,
    SeriesModelStatus Status,
    string? Reason,
    string? Learner = null,
    DateTimeOffset? AdaptedAt = null,
    double ResidualScale = double.NaN,
    ServingSlot? Slot = null,
    SeriesForecast? Forecast = null)
{
    public SeriesModelState ToState() => new(Key, Status, ClusterId, Period, Learner, AdaptedAt, ResidualScale, Reason)
    {
        HistoryNeeded = Slot?.Snapshot.Layout.Reach ?? 0,
    };

    /// <summary>The series (new when <paramref name="entry"/> is null) warming up for <paramref name="reason"/>; an adapted one keeps serving.</summary>
    public static SeriesEntry Warming(SeriesKey key, SeriesEntry? entry, TimeSpan? step, string? reason) =>
        (entry ?? new SeriesEntry(key, step, null, [], null, SeriesModelStatus.WarmingUp, reason)) with
        {
            Step = step ?? entry?.Step,
            Status = entry?.Status == SeriesModelStatus.Adapted ? SeriesModelStatus.Adapted : SeriesModelStatus.WarmingUp,
            Reason = reason,
        };
}
