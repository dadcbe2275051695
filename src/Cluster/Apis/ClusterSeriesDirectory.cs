using MetaAnomaly.Cluster.Sharding;
using MetaAnomaly.Shared.Series;

namespace MetaAnomaly.Cluster.Apis;

/// <summary>Every series of the cluster for the dashboard's pages, each as the node holding its shard reports it; the series of a shard that does not answer are left out.</summary>
internal sealed class ClusterSeriesDirectory(IGrainFactory grains, ShardMap shards) : ISeriesDirectory
{
    public async Task<IReadOnlyList<ListedSeries>> ListAsync(CancellationToken cancellationToken)
    {
        var (reports, _) = await ShardReports.DescribeAllAsync(grains, shards, cancellationToken);
        return reports.SelectMany(r => r.Series).Select(s => s.ToListed()).OrderBy(s => s.Info.Key).ToArray();
    }
}
