namespace MetaAnomaly.Cluster.Sharding;

/// <summary>Every shard's report at once; a shard that does not answer within 10 s is named as unreachable. Asking every shard activates those whose node was lost.</summary>
internal static class ShardReports
{
    private static readonly TimeSpan ShardAnswerTimeout = TimeSpan.FromSeconds(10);

    public static async Task<(ShardReport[] Reports, int[] Unreachable)> DescribeAllAsync(IGrainFactory grains, ShardMap shards, CancellationToken cancellationToken)
    {
        var answers = await Task.WhenAll(Enumerable.Range(0, shards.Shards).Select(async shard =>
        {
            try
            {
                return (shard, Report: await grains.GetGrain<IShardGrain>(shard).DescribeAsync().WaitAsync(ShardAnswerTimeout, cancellationToken));
            }
            catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                return (shard, Report: (ShardReport?)null);
            }
        }));
        return (answers.Where(a => a.Report is not null).Select(a => a.Report!).ToArray(),
            answers.Where(a => a.Report is null).Select(a => a.shard).ToArray());
    }
}
