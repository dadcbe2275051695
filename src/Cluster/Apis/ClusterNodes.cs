using MetaAnomaly.Cluster.Sharding;

namespace MetaAnomaly.Cluster.Apis;

/// <summary>
/// The nodes of the cluster as <c>GET /api/cluster</c> and the dashboard's Nodes page show them: Orleans' membership
/// (status, start, last "I am alive"), and from every shard's answer the shards and series each node runs.
/// </summary>
public sealed class ClusterNodes(IGrainFactory grains, ShardMap shards)
{
    public async Task<ClusterView> ReadAsync(CancellationToken cancellationToken)
    {
        var (reports, unreachable) = await ShardReports.DescribeAllAsync(grains, shards, cancellationToken);
        var hosts = await grains.GetGrain<IManagementGrain>(0).GetDetailedHosts(onlyActive: false);
        var perNode = reports.GroupBy(r => r.Node).ToDictionary(g => g.Key, g => (Shards: g.Count(), Series: g.Sum(r => r.Series.Length)));
        var nodes = hosts
            .OrderBy(h => h.SiloName, StringComparer.Ordinal)
            .Select(h =>
            {
                var held = h.Status == SiloStatus.Active ? perNode.GetValueOrDefault(h.SiloName) : default;
                return new ClusterNode(h.SiloName, h.SiloAddress.ToString(), h.Status.ToString(), h.StartTime, h.IAmAliveTime, held.Shards, held.Series);
            })
            .ToArray();
        return new ClusterView(shards.Shards, nodes, unreachable);
    }
}
