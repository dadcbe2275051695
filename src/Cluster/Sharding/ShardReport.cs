namespace MetaAnomaly.Cluster.Sharding;

/// <summary>One shard as its activation sees it: where it runs and the series it owns.</summary>
[GenerateSerializer, Immutable, Alias("MetaAnomaly.ShardReport")]
public sealed record ShardReport(
    [property: Id(0)] int Shard,
    [property: Id(1)] string Node,
    [property: Id(2)] ShardSeries[] Series);

/// <summary>A series of a shard: its points in the owning node's buffer and the latest one.</summary>
[GenerateSerializer, Immutable, Alias("MetaAnomaly.ShardSeries")]
public sealed record ShardSeries(
    [property: Id(0)] string Key,
    [property: Id(1)] long Points,
    [property: Id(2)] DateTimeOffset? Last);
