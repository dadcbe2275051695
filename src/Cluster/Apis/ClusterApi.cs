using MetaAnomaly.Cluster.Events;
using MetaAnomaly.Cluster.Sharding;
using MetaAnomaly.Shared.Security;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace MetaAnomaly.Cluster.Apis;

/// <summary>
/// The whole cluster from any node: <c>GET /api/cluster</c> (nodes, their status and shard counts) and
/// <c>GET /api/cluster/series</c> (every series, its shard and node), <c>GET /api/cluster/anomalies</c> (the newest
/// events of the cluster, <c>count</c> at most 1,000). Viewer role. Asking every shard activates those
/// whose node was lost.
/// </summary>
public static class ClusterApi
{
    public static IEndpointRouteBuilder MapClusterApi(this IEndpointRouteBuilder app)
    {
        var cluster = app.MapGroup("/api/cluster").WithTags("Cluster").RequireAuthorization(AccessPolicies.Viewer);
        cluster.MapGet("/", ViewAsync);
        cluster.MapGet("/series", SeriesAsync);
        cluster.MapGet("/anomalies", AnomaliesAsync);
        return app;
    }

    private static async Task<Ok<ClusterView>> ViewAsync(ClusterNodes nodes, CancellationToken cancellationToken) =>
        TypedResults.Ok(await nodes.ReadAsync(cancellationToken));

    private static async Task<Ok<ClusterSeriesView>> SeriesAsync(IGrainFactory grains, ShardMap shards, CancellationToken cancellationToken)
    {
        var (reports, unreachable) = await ShardReports.DescribeAllAsync(grains, shards, cancellationToken);
        var series = reports.SelectMany(ClusterSeries.Of).OrderBy(s => s.Key, StringComparer.Ordinal).ToArray();
        return TypedResults.Ok(new ClusterSeriesView(series, unreachable));
    }

    private static async Task<Ok<IReadOnlyList<ClusterAnomaly>>> AnomaliesAsync(ClusterEventLedger ledger, CancellationToken cancellationToken, int count = 200) =>
        TypedResults.Ok(await ledger.ListAsync(Math.Clamp(count, 1, 1000), cancellationToken));
}
