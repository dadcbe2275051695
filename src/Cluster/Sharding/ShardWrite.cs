using MetaAnomaly.Shared.Series;

namespace MetaAnomaly.Cluster.Sharding;

/// <summary>What a shard took of a write: the points its buffers accepted (to be made durable) and the skip counts.</summary>
[GenerateSerializer, Immutable, Alias("MetaAnomaly.ShardWrite")]
public sealed record ShardWrite(
    [property: Id(0)] ShardPoints Accepted,
    [property: Id(1)] int SkippedNotFinite,
    [property: Id(2)] int SkippedOutOfRange,
    [property: Id(3)] int SkippedOverCapacity,
    [property: Id(4)] int SkippedTooOld)
{
    public IngestOutcome Outcome => new(Accepted.Length, SkippedNotFinite, SkippedOutOfRange, SkippedOverCapacity, SkippedTooOld);
}
