using MetaAnomaly.Cluster.Configuration;
using MetaAnomaly.Cluster.Sharding;
using MetaAnomaly.Ingest.Wal;
using MetaAnomaly.Shared.Series;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace MetaAnomaly.Cluster.Ingest;

/// <summary>
/// <see cref="IDurableIngestor"/> of a cluster node, in place of the local write-ahead log: a batch is split by shard,
/// each shard's grain (wherever Orleans placed it) takes its points into its node's buffers and stores the accepted
/// ones in PostgreSQL. The task completes, and a writer is answered, only once every shard has; a shard whose node was
/// lost is retried until Orleans has moved it, for at most <c>Cluster:ShardWriteTimeout</c>. A failure is an
/// <see cref="IOException"/>: the push endpoints answer 500 and the writer retries (a point written twice keeps one
/// row).
/// </summary>
internal sealed partial class ClusterIngestor(
    IGrainFactory grains,
    ShardMap shards,
    IOptions<ClusterOptions> options,
    TimeProvider clock,
    ILogger<ClusterIngestor> logger) : IDurableIngestor
{
    private static readonly TimeSpan FirstRetryDelay = TimeSpan.FromMilliseconds(200);
    private static readonly TimeSpan LongestRetryDelay = TimeSpan.FromSeconds(2);

    public Task<IngestOutcome> IngestAsync(ReadOnlySpan<DataPoint> points, CancellationToken cancellationToken)
    {
        if (points.IsEmpty)
        {
            return Task.FromResult(default(IngestOutcome));
        }
        var byShard = new Dictionary<int, List<DataPoint>>();
        foreach (var point in points)
        {
            var shard = shards.ShardOf(point.Key);
            if (!byShard.TryGetValue(shard, out var list))
            {
                byShard[shard] = list = [];
            }
            list.Add(point);
        }
        return WriteAsync(byShard.Select(pair => (pair.Key, ShardPoints.Of(pair.Value))).ToArray(), cancellationToken);
    }

    private async Task<IngestOutcome> WriteAsync(IReadOnlyList<(int Shard, ShardPoints Points)> batches, CancellationToken cancellationToken)
    {
        var writes = await Task.WhenAll(batches.Select(batch => ApplyAsync(batch.Shard, batch.Points, cancellationToken)));
        var total = default(IngestOutcome);
        foreach (var write in writes)
        {
            total = new IngestOutcome(
                total.Accepted + write.Accepted,
                total.SkippedNotFinite + write.SkippedNotFinite,
                total.SkippedOutOfRange + write.SkippedOutOfRange,
                total.SkippedOverCapacity + write.SkippedOverCapacity,
                total.SkippedTooOld + write.SkippedTooOld);
        }
        return total;
    }

    private async Task<ShardWrite> ApplyAsync(int shard, ShardPoints points, CancellationToken cancellationToken)
    {
        var grain = grains.GetGrain<IShardGrain>(shard);
        var deadline = clock.GetUtcNow() + options.Value.ShardWriteTimeout;
        var delay = FirstRetryDelay;
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await grain.ApplyAsync(points).WaitAsync(cancellationToken);
            }
            catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                if (clock.GetUtcNow() + delay > deadline)
                {
                    throw new IOException($"shard {shard} did not take the points within Cluster:ShardWriteTimeout ({options.Value.ShardWriteTimeout}): {e.Message}", e);
                }
                LogRetry(shard, attempt, e.Message);
                await Task.Delay(delay, clock, cancellationToken);
                delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, LongestRetryDelay.Ticks));
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Shard {Shard} did not answer write attempt {Attempt} ({Reason}); retrying while Orleans moves it")]
    private partial void LogRetry(int shard, int attempt, string reason);
}
