using MetaAnomaly.Cluster.Anomalies;
using MetaAnomaly.Cluster.Configuration;
using MetaAnomaly.Cluster.Forecasting;
using MetaAnomaly.Cluster.Storage;
using MetaAnomaly.Forecasting.ReadModel;
using MetaAnomaly.Ingest.Buffers;
using MetaAnomaly.Ingest.Configuration;
using MetaAnomaly.Shared.Series;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace MetaAnomaly.Cluster.Sharding;

/// <inheritdoc cref="IShardGrain"/>
[Orleans.Placement.RandomPlacement]
internal sealed partial class ShardGrain(
    SeriesBuffers buffers,
    ClusterPointStore store,
    NodeAdaptation adaptation,
    NodeEventActions events,
    IForecastingReadModel forecasting,
    ILocalSiloDetails silo,
    IOptions<ClusterOptions> cluster,
    IOptions<IngestOptions> ingest,
    TimeProvider clock,
    ILogger<ShardGrain> logger) : Grain, IShardGrain
{
    private static readonly TimeSpan PruneInterval = TimeSpan.FromHours(1);

    private readonly Dictionary<string, SeriesKey> _series = new(StringComparer.Ordinal);
    private DateTimeOffset _pruned = DateTimeOffset.MinValue;

    private int Shard => (int)this.GetPrimaryKeyLong();

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        var since = clock.GetUtcNow() - cluster.Value.PointRetention;
        var stored = await store.ReadShardAsync(Shard, since, ingest.Value.Buffers.Capacity, cancellationToken);
        foreach (var point in stored)
        {
            _series.TryAdd(point.Key.ToString(), point.Key);
        }
        buffers.Replay(stored.ToArray());
        LogActivated(Shard, silo.Name, _series.Count, stored.Count);
    }

    public async Task<ShardWrite> ApplyAsync(ShardPoints points)
    {
        var incoming = points.ToDataPoints(KeyOf);
        var accepted = new DataPoint[incoming.Length];
        var outcome = buffers.Ingest(incoming, accepted);
        var taken = new ArraySegment<DataPoint>(accepted, 0, outcome.Accepted);
        foreach (var point in taken)
        {
            _series.TryAdd(point.Key.ToString(), point.Key);
        }
        // Stored by the activation itself, between the read-back of OnActivateAsync and any later activation's: a point
        // answered for is either read back by the next activation or was never answered for.
        await store.AppendAsync(Shard, taken, CancellationToken.None);
        return new ShardWrite(outcome.Accepted, outcome.SkippedNotFinite, outcome.SkippedOutOfRange, outcome.SkippedOverCapacity, outcome.SkippedTooOld);
    }

    public Task<ShardReport> DescribeAsync() => Task.FromResult(new ShardReport(
        Shard,
        silo.Name,
        _series.Values.Order().Select(key => ShardSeries.Of(key, buffers.Describe(key), forecasting.StateOf(key))).ToArray()));

    public async Task KeepAsync()
    {
        var now = clock.GetUtcNow();
        if (now - _pruned < PruneInterval)
        {
            return;
        }
        _pruned = now;
        var deleted = await store.DeleteOlderThanAsync(Shard, now - cluster.Value.PointRetention, CancellationToken.None);
        if (deleted > 0)
        {
            LogPruned(Shard, deleted);
        }
    }

    public Task AdaptAsync(DateTimeOffset firedAt)
    {
        adaptation.Request(firedAt);
        return Task.CompletedTask;
    }

    public Task<bool> ActOnEventAsync(EventAction action) => events.ApplyAsync(action, CancellationToken.None);

    private SeriesKey KeyOf(string text) => _series.TryGetValue(text, out var key) ? key : SeriesKey.Parse(text);

    [LoggerMessage(Level = LogLevel.Information, Message = "Shard {Shard} active on {Node}: {Series} series, {Points} stored points read back")]
    private partial void LogActivated(int shard, string node, int series, int points);

    [LoggerMessage(Level = LogLevel.Information, Message = "Shard {Shard}: {Deleted} points older than Cluster:PointRetention deleted")]
    private partial void LogPruned(int shard, int deleted);
}
