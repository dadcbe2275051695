using MetaAnomaly.Cluster.Anomalies;

namespace MetaAnomaly.Cluster.Sharding;

/// <summary>
/// One shard (its integer key, 0 to <c>Cluster:Shards</c> - 1) of the series, placed on a node by Orleans. Its
/// activation owns its series in that node's buffers (and so the detection and forecasting that read them there), is
/// the only writer of its points to PostgreSQL and, when it starts on a node, reads its series back from there.
/// </summary>
[Alias("MetaAnomaly.IShardGrain")]
public interface IShardGrain : IGrainWithIntegerKey
{
    /// <summary>Puts points into the owning node's buffers and answers once the accepted ones are in PostgreSQL.</summary>
    [Alias("Apply")]
    Task<ShardWrite> ApplyAsync(ShardPoints points);

    [Alias("Describe")]
    Task<ShardReport> DescribeAsync();

    /// <summary>
    /// Activates the shard where it is not (after a node loss) and deletes its points older than the retention; returns
    /// the node it is active on.
    /// </summary>
    [Alias("Keep")]
    Task<SiloAddress> KeepAsync();

    /// <summary>Moves the shard to <paramref name="node"/> once it is idle (its series then read back there); answers at once.</summary>
    [Alias("MoveTo")]
    Task MoveToAsync(SiloAddress node);

    /// <summary>Asks the node the shard is active on for its share of the daily run fired at <paramref name="firedAt"/>, and answers at once.</summary>
    [Alias("Adapt")]
    Task AdaptAsync(DateTimeOffset firedAt);

    /// <summary>Applies an operator's action to the event of one of its series on the node the shard is active on; false when that node has no such event.</summary>
    [Alias("ActOnEvent")]
    Task<bool> ActOnEventAsync(EventAction action);
}
