using MetaAnomaly.Cluster.Configuration;
using MetaAnomaly.Cluster.Sharding;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace MetaAnomaly.Cluster.Hosting;

/// <summary>
/// Every <c>Cluster:ShardCheckInterval</c>, calls every shard once: a shard whose node was lost is activated on a
/// live node (and reads its series back) without waiting for its next write. Then, when every shard answered, hands
/// up to <c>Cluster:ShardMovesPerCheck</c> of this node's shards to the least loaded nodes (<see cref="ShardBalance"/>):
/// a node that joins a running cluster gets its share, and so does a node back after a failover.
/// </summary>
internal sealed partial class ShardKeeper(
    IGrainFactory grains, ShardMap shards, ILocalSiloDetails silo, IOptions<ClusterOptions> options, TimeProvider clock, ILogger<ShardKeeper> logger)
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
                    return (Shard: shard, Node: await grains.GetGrain<IShardGrain>(shard).KeepAsync().WaitAsync(stoppingToken));
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    LogUnreachable(shard, e.Message);
                    return (Shard: shard, Node: (SiloAddress?)null);
                }
            });
            var placement = await Task.WhenAll(calls);
            if (placement.All(p => p.Node is not null))
            {
                await BalanceAsync(placement.ToDictionary(p => p.Shard, p => p.Node!.ToParsableString()), stoppingToken);
            }
        }
    }

    private async Task BalanceAsync(Dictionary<int, string> held, CancellationToken cancellationToken)
    {
        if (options.Value.ShardMovesPerCheck == 0)
        {
            return;
        }
        var live = (await grains.GetGrain<IManagementGrain>(0).GetHosts(onlyActive: true)).Keys.ToDictionary(s => s.ToParsableString());
        var local = silo.SiloAddress.ToParsableString();
        foreach (var (shard, to) in ShardBalance.MovesOf(local, held, live.Keys, options.Value.ShardMovesPerCheck))
        {
            LogMoving(shard, silo.Name, held.Values.Count(n => n == local), held.Count, to, held.Values.Count(n => n == to));
            try
            {
                await grains.GetGrain<IShardGrain>(shard).MoveToAsync(live[to]).WaitAsync(cancellationToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                LogMoveFailed(shard, to, e.Message);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Shard {Shard} not reachable yet ({Reason}); trying again at the next check")]
    private partial void LogUnreachable(int shard, string reason);

    [LoggerMessage(Level = LogLevel.Information,
        Message = "Shard {Shard} moves from {Node} (holding {Held} of {Shards} shards) to {Target} (holding {TargetHeld})")]
    private partial void LogMoving(int shard, string node, int held, int shards, string target, int targetHeld);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Shard {Shard} could not be moved to {Target} ({Reason}); the next check tries again")]
    private partial void LogMoveFailed(int shard, string target, string reason);
}
