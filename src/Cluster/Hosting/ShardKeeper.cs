using MetaAnomaly.Cluster.Configuration;
using MetaAnomaly.Cluster.Sharding;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace MetaAnomaly.Cluster.Hosting;

/// <summary>
/// Every <c>Cluster:ShardCheckInterval</c>, calls every shard once: a shard whose node was lost is activated on a
/// live node (and reads its series back) without waiting for its next write.
/// </summary>
internal sealed partial class ShardKeeper(IGrainFactory grains, ShardMap shards, IOptions<ClusterOptions> options, TimeProvider clock, ILogger<ShardKeeper> logger)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // The first pass waits one interval too: at a cluster's start the nodes that are still joining then get shards.
        while (!stoppingToken.IsCancellationRequested)
        {
            await Task.Delay(options.Value.ShardCheckInterval, clock, stoppingToken);
            var calls = Enumerable.Range(0, shards.Shards).Select(async shard =>
            {
                try
                {
                    await grains.GetGrain<IShardGrain>(shard).KeepAsync().WaitAsync(stoppingToken);
                    return true;
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    LogUnreachable(shard, e.Message);
                    return false;
                }
            });
            await Task.WhenAll(calls);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Shard {Shard} not reachable yet ({Reason}); trying again at the next check")]
    private partial void LogUnreachable(int shard, string reason);
}
