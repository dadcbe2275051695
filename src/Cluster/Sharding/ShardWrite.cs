namespace MetaAnomaly.Cluster.Sharding;

/// <summary>What a shard took of a write, once the accepted points are in PostgreSQL: how many, and the skip counts.</summary>
[GenerateSerializer, Immutable, Alias("MetaAnomaly.ShardWrite")]
public sealed record ShardWrite(
    [property: Id(0)] int Accepted,
    [property: Id(1)] int SkippedNotFinite,
    [property: Id(2)] int SkippedOutOfRange,
    [property: Id(3)] int SkippedOverCapacity,
    [property: Id(4)] int SkippedTooOld);
