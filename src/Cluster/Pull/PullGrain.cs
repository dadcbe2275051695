using MetaAnomaly.Cluster.Configuration;
using MetaAnomaly.Ingest.Configuration;
using MetaAnomaly.Ingest.Pull;
using MetaAnomaly.Ingest.Status;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;

namespace MetaAnomaly.Cluster.Pull;

/// <inheritdoc cref="IPullGrain"/>
/// <remarks>
/// Placed on the node that first calls it (only nodes configured for that InfluxDB call it: <see cref="PullKeeper"/>).
/// Every <c>Ingest:Pull:Interval</c> it renews its lease and polls; the pull's points go through the node's
/// <c>IDurableIngestor</c> (the cluster's shards, answered once they are in PostgreSQL) before a watermark moves.
/// </remarks>
[Orleans.Placement.PreferLocalPlacement]
internal sealed partial class PullGrain(
    IServiceProvider services,
    NpgsqlDataSource database,
    IngestStatus status,
    ILocalSiloDetails silo,
    IOptions<IngestOptions> ingest,
    IOptions<ClusterOptions> cluster,
    ILogger<PullGrain> logger) : Grain, IPullGrain
{
    private PullLease? _lease;
    private InfluxPullSource? _source;
    private bool _held;

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        var key = this.GetPrimaryKeyString();
        if (!ingest.Value.HasInflux || key != PullKey.Of(ingest.Value.Influx))
        {
            LogNotConfigured(key, silo.Name);
            this.DeactivateOnIdle();
            return Task.CompletedTask;
        }
        var pull = ingest.Value.Pull;
        var renewal = pull.Interval > cluster.Value.ShardCheckInterval ? pull.Interval : cluster.Value.ShardCheckInterval;
        _lease = new PullLease(database, key, $"{silo.Name}/{GrainContext.ActivationId}", renewal * 3);
        _source = ActivatorUtilities.CreateInstance<InfluxPullSource>(services, new ClusterWatermarkStore(database, key));
        status.SourceStarted(_source.Name);
        this.RegisterGrainTimer(PollAsync, new GrainTimerCreationOptions { DueTime = TimeSpan.Zero, Period = pull.Interval, Interleave = true });
        LogActivated(key, silo.Name);
        return Task.CompletedTask;
    }

    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        if (_lease is not null && _held)
        {
            await _lease.ReleaseAsync(cancellationToken);
        }
    }

    public async Task KeepAsync()
    {
        if (_lease is not null && _held)
        {
            await RenewAsync(CancellationToken.None);
        }
    }

    private async Task PollAsync(CancellationToken cancellationToken)
    {
        if (!await RenewAsync(cancellationToken))
        {
            return;
        }
        await _source!.PollAndReportAsync(cancellationToken);
    }

    private async Task<bool> RenewAsync(CancellationToken cancellationToken)
    {
        var was = _held;
        try
        {
            _held = await _lease!.TryHoldAsync(cancellationToken);
        }
        catch (NpgsqlException e)
        {
            _held = false;
            LogLeaseFailed(this.GetPrimaryKeyString(), e.Message);
        }
        if (was != _held)
        {
            LogLease(this.GetPrimaryKeyString(), silo.Name, _held);
        }
        return _held;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Pull {Pull} active on {Node}")]
    private partial void LogActivated(string pull, string node);

    [LoggerMessage(Level = LogLevel.Information, Message = "Pull {Pull}: lease held by {Node}: {Held}")]
    private partial void LogLease(string pull, string node, bool held);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Pull {Pull}: its lease could not be renewed ({Reason}); not polling until it is")]
    private partial void LogLeaseFailed(string pull, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Pull {Pull} was placed on {Node}, which is not configured for that InfluxDB; it leaves for a node that is")]
    private partial void LogNotConfigured(string pull, string node);
}
