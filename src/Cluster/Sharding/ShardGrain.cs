using MetaAnomaly.Cluster.Anomalies;
using MetaAnomaly.Cluster.Configuration;
using MetaAnomaly.Cluster.Forecasting;
using MetaAnomaly.Cluster.Storage;
using MetaAnomaly.Detection.Scoring;
using MetaAnomaly.Forecasting.ReadModel;
using MetaAnomaly.Ingest.Buffers;
using MetaAnomaly.Ingest.Configuration;
using MetaAnomaly.Shared.Series;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Runtime.Placement;

namespace MetaAnomaly.Cluster.Sharding;

/// <inheritdoc cref="IShardGrain"/>
[Orleans.Placement.RandomPlacement]
internal sealed partial class ShardGrain(
    SeriesBuffers buffers,
    ClusterPointStore store,
    ShardHandovers handovers,
    AnomalyDetector detector,
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
    private bool _readBack;

    private int Shard => (int)this.GetPrimaryKeyLong();

    /// <summary>
    /// Reads the shard's series back. Handed over by a live node, the points after the last its detector saw of a series
    /// are replayed as not yet seen, so that they are scored here; otherwise (a node lost, the cluster's start) every
    /// point read back counts as recovered and scoring goes live after them.
    /// </summary>
    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        var since = clock.GetUtcNow() - cluster.Value.PointRetention;
        var stored = await store.ReadShardAsync(Shard, since, ingest.Value.Buffers.Capacity, cancellationToken);
        var seen = await handovers.TakeAsync(Shard, cancellationToken);
        var recovered = new List<DataPoint>(stored.Count);
        var unseen = new List<DataPoint>();
        foreach (var point in stored)
        {
            _series.TryAdd(point.Key.ToString(), point.Key);
            (seen.TryGetValue(point.Key, out var through) && point.Timestamp > through ? unseen : recovered).Add(point);
        }
        buffers.Replay(recovered.ToArray());
        buffers.Replay(unseen.ToArray(), recovered: false);
        _readBack = true;
        LogActivated(Shard, silo.Name, _series.Count, stored.Count, unseen.Count);
    }

    /// <summary>
    /// The activation ends while its node lives (the shard moves to another node, or the node stops): records the
    /// latest point the node's detector saw of each series for the next activation, then drops the series from this
    /// node's buffers, so that only the shard's new node scores them.
    /// </summary>
    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        if (!_readBack)
        {
            // An activation that failed to read its series back holds none, and must not replace an earlier handover.
            return;
        }
        var keys = _series.Values.ToArray();
        var seen = new Dictionary<SeriesKey, DateTimeOffset>();
        foreach (var key in keys)
        {
            if (detector.LastScored(key) is { } through)
            {
                seen[key] = through;
            }
        }
        try
        {
            await handovers.RecordAsync(Shard, seen, cancellationToken);
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            LogHandoverFailed(Shard, exception.Message);
        }
        var released = buffers.Release(keys);
        LogDeactivated(Shard, silo.Name, reason.Description, released, seen.Count);
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

    public async Task<SiloAddress> KeepAsync()
    {
        var now = clock.GetUtcNow();
        if (now - _pruned < PruneInterval)
        {
            return silo.SiloAddress;
        }
        _pruned = now;
        var deleted = await store.DeleteOlderThanAsync(Shard, now - cluster.Value.PointRetention, CancellationToken.None);
        if (deleted > 0)
        {
            LogPruned(Shard, deleted);
        }
        return silo.SiloAddress;
    }

    public Task MoveToAsync(SiloAddress node)
    {
        RequestContext.Set(IPlacementDirector.PlacementHintKey, node);
        this.MigrateOnIdle();
        return Task.CompletedTask;
    }

    public Task AdaptAsync(DateTimeOffset firedAt)
    {
        adaptation.Request(firedAt);
        return Task.CompletedTask;
    }

    public Task<bool> ActOnEventAsync(EventAction action) => events.ApplyAsync(action, CancellationToken.None);

    private SeriesKey KeyOf(string text) => _series.TryGetValue(text, out var key) ? key : SeriesKey.Parse(text);

    [LoggerMessage(Level = LogLevel.Information,
        Message = "Shard {Shard} active on {Node}: {Series} series, {Points} stored points read back, {Unseen} of them handed over unseen")]
    private partial void LogActivated(int shard, string node, int series, int points, int unseen);

    [LoggerMessage(Level = LogLevel.Information,
        Message = "Shard {Shard} leaves {Node} ({Reason}): {Released} series dropped from its buffers, what was seen of {Seen} handed over")]
    private partial void LogDeactivated(int shard, string node, string reason, int released, int seen);

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "Shard {Shard}: what this node saw of its series could not be handed over ({Error}); its next node scores from its read-back on")]
    private partial void LogHandoverFailed(int shard, string error);

    [LoggerMessage(Level = LogLevel.Information, Message = "Shard {Shard}: {Deleted} points older than Cluster:PointRetention deleted")]
    private partial void LogPruned(int shard, int deleted);
}
