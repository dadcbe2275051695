namespace MetaAnomaly.Cluster.Pull;

/// <summary>
/// The cluster's reader of one InfluxDB database (key: <see cref="PullKey"/>): activated on one node by Orleans, it
/// polls with the product's own pull (<c>InfluxPullSource</c>), ingests through the cluster's shards and keeps its
/// watermarks in PostgreSQL.
/// </summary>
[Alias("MetaAnomaly.IPullGrain")]
public interface IPullGrain : IGrainWithStringKey
{
    /// <summary>Activates the pull where it is not (after a node loss) and renews its lease.</summary>
    [Alias("Keep")]
    [Orleans.Concurrency.AlwaysInterleave]
    Task KeepAsync();
}
