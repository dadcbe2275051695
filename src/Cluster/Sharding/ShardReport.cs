using MetaAnomaly.Shared.Forecasts;
using MetaAnomaly.Shared.Series;

namespace MetaAnomaly.Cluster.Sharding;

/// <summary>One shard as its activation sees it: where it runs and the series it owns.</summary>
[GenerateSerializer, Immutable, Alias("MetaAnomaly.ShardReport")]
public sealed record ShardReport(
    [property: Id(0)] int Shard,
    [property: Id(1)] string Node,
    [property: Id(2)] ShardSeries[] Series);

/// <summary>
/// A series of a shard: its points in the owning node's buffer, the first and latest one, its step, and what that
/// node's forecasting core knows of its model (status as <see cref="SeriesModelStatus"/>'s name).
/// </summary>
[GenerateSerializer, Immutable, Alias("MetaAnomaly.ShardSeries")]
public sealed record ShardSeries(
    [property: Id(0)] string Key,
    [property: Id(1)] long Points,
    [property: Id(2)] DateTimeOffset? Last,
    [property: Id(3)] DateTimeOffset? First,
    [property: Id(4)] TimeSpan? Step,
    [property: Id(5)] string Status,
    [property: Id(6)] string? ClusterId,
    [property: Id(7)] int? Period,
    [property: Id(8)] string? Learner,
    [property: Id(9)] DateTimeOffset? AdaptedAt,
    [property: Id(10)] double ResidualScale,
    [property: Id(11)] string? Reason)
{
    public static ShardSeries Of(SeriesKey key, SeriesInfo? info, SeriesModelState state) => new(
        key.ToString(), info?.PointCount ?? 0, info?.LastTimestamp, info?.FirstTimestamp, info?.Step,
        state.Status.ToString(), state.ClusterId, state.Period, state.Learner, state.AdaptedAt, state.ResidualScale, state.Reason);

    /// <summary>The series as the dashboard's series list shows it.</summary>
    public ListedSeries ToListed()
    {
        var key = SeriesKey.Parse(Key);
        return new ListedSeries(
            new SeriesInfo(key, Step, Points, First, Last),
            new SeriesModelState(key, Enum.Parse<SeriesModelStatus>(Status), ClusterId, Period, Learner, AdaptedAt, ResidualScale, Reason));
    }
}
