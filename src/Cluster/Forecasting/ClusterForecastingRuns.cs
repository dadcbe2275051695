using MetaAnomaly.Cluster.Sharding;
using MetaAnomaly.Forecasting.ReadModel;
using Microsoft.Extensions.Logging;

namespace MetaAnomaly.Cluster.Forecasting;

/// <summary>
/// The forecasting runs of a cluster node. The daily job fires on one node of the cluster (Quartz clustered on
/// PostgreSQL); its run fans out over the shards: each asks the node it is active on for that node's daily run of the
/// series it holds (<see cref="NodeAdaptation"/>, once per firing), and the firing node runs its own. Catch-up stays
/// each node's own. The initialisations all these runs use come from the cluster's one model registry.
/// </summary>
internal sealed partial class ClusterForecastingRuns(NodeAdaptation node, IGrainFactory grains, ShardMap shards, TimeProvider clock, ILogger<ClusterForecastingRuns> logger)
    : IForecastingRuns
{
    public Task<AdaptationRunSummary> CatchUpAsync(CancellationToken cancellationToken) => node.CatchUpAsync(cancellationToken);

    public async Task<AdaptationRunSummary> RunScheduledAsync(CancellationToken cancellationToken)
    {
        var firedAt = clock.GetUtcNow();
        var asked = await Task.WhenAll(Enumerable.Range(0, shards.Shards).Select(async shard =>
        {
            try
            {
                await grains.GetGrain<IShardGrain>(shard).AdaptAsync(firedAt).WaitAsync(cancellationToken);
                return true;
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                LogUnreachable(shard, e.Message);
                return false;
            }
        }));
        LogFannedOut(asked.Count(a => a), shards.Shards);
        return await node.RunSinceAsync(firedAt, cancellationToken);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Daily adaptation: {Asked} of {Shards} shards asked their nodes to adapt their series")]
    private partial void LogFannedOut(int asked, int shards);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Daily adaptation: shard {Shard} not reachable ({Reason}); its node adapts at its next daily run")]
    private partial void LogUnreachable(int shard, string reason);
}
