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
        HistoryNeeded = Slot is { } slot ? slot.Normalisation.Anchor.ReachIn(slot.Snapshot.Layout) : 0,
        Stage = Status != SeriesModelStatus.Adapted || Slot is null ? ServingStage.NotServed : ServedInColdStart ? ServingStage.ColdStart : ServingStage.Cluster,
        StageDescription = StageDescription,
    };

    /// <summary>Adapted, by a model of the cluster it belongs to now.</summary>
    public bool ServedByItsCluster => Status == SeriesModelStatus.Adapted && Slot?.Snapshot.ClusterId == ClusterId;

    /// <summary>Served in cold start: from the shared aperiodic model or the anchor alone, not by a cluster's model.</summary>
    public bool ServedInColdStart => Status == SeriesModelStatus.Adapted && Slot?.Snapshot.ColdStartSource is not null;

    private string? StageDescription => Status != SeriesModelStatus.Adapted || Slot is null ? null
        : Slot.Snapshot.ColdStartSource is { } source
            ? $"cold start: scored from {source}, {(ClusterId is null ? "period not known yet" : $"until its cluster {ClusterId} adapts it")}"
            : $"cluster {Slot.Snapshot.ClusterId}";

    /// <summary>
    /// The series not adapted in its cluster for <paramref name="reason"/>: <paramref name="status"/>, unless it is still
    /// served by the model of its previous cluster (or in cold start), which it keeps until its new cluster's model
    /// adapts it (scoring never stops because a re-clustering moved a series to a cluster that cannot be meta-trained yet).
    /// </summary>
    public SeriesEntry Unserved(SeriesModelStatus status, string reason) =>
        Status == SeriesModelStatus.Adapted && Slot is not null
            ? this with
            {
                Reason = ServedInColdStart
                    ? $"stays in cold start: {reason}"
                    : $"served by the model of its previous cluster {Slot.Snapshot.ClusterId} until its cluster {ClusterId} adapts it: {reason}",
            }
            : this with { Status = status, Reason = reason };

    /// <summary>The series (new when <paramref name="entry"/> is null) warming up for <paramref name="reason"/>; an adapted one keeps serving.</summary>
    public static SeriesEntry Warming(SeriesKey key, SeriesEntry? entry, TimeSpan? step, string? reason) =>
        (entry ?? new SeriesEntry(key, step, null, [], null, SeriesModelStatus.WarmingUp, reason)) with
        {
            Step = step ?? entry?.Step,
            Status = entry?.Status == SeriesModelStatus.Adapted ? SeriesModelStatus.Adapted : SeriesModelStatus.WarmingUp,
            Reason = reason,
        };
}
