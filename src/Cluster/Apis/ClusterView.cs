using MetaAnomaly.Cluster.Sharding;

namespace MetaAnomaly.Cluster.Apis;

/// <summary><c>GET /api/cluster</c>: the nodes in membership with the shards each runs, and the shards no node answered for.</summary>
public sealed record ClusterView(int Shards, IReadOnlyList<ClusterNode> Nodes, IReadOnlyList<int> UnreachableShards);

/// <summary>A node as Orleans' membership records it, with the shards active on it and the series they hold.</summary>
public sealed record ClusterNode(string Name, string Address, string Status, DateTime StartedUtc, DateTime AliveUtc, int ActiveShards, int Series);

/// <summary><c>GET /api/cluster/series</c>: every series of every shard, whichever node it runs on.</summary>
public sealed record ClusterSeriesView(IReadOnlyList<ClusterSeries> Series, IReadOnlyList<int> UnreachableShards);

public sealed record ClusterSeries(string Key, int Shard, string Node, long Points, DateTimeOffset? Last)
{
    public static IEnumerable<ClusterSeries> Of(ShardReport report) =>
        report.Series.Select(s => new ClusterSeries(s.Key, report.Shard, report.Node, s.Points, s.Last));
}
