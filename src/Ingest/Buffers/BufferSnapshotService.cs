using MetaAnomaly.Ingest.Configuration;
using MetaAnomaly.Ingest.Storage;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace MetaAnomaly.Ingest.Buffers;

/// <summary>
/// Restores the buffers from the state database when the host starts (before the sources, which are registered
/// after it), saves them every <c>Ingest:Buffers:SnapshotInterval</c>, and once more when the host stops.
/// </summary>
/// <remarks>
/// A host under <c>WebApplicationFactory</c> may call <see cref="StopAsync"/> twice (the factory and the entry
/// point's own shutdown), the second time after disposal: every call shares the one final save.
/// </remarks>
internal sealed partial class BufferSnapshotService(
    SeriesBuffers buffers,
    BufferSnapshotStore store,
    IOptions<IngestOptions> options,
    TimeProvider clock,
    ILogger<BufferSnapshotService> logger) : IHostedService, IDisposable
{
    private readonly CancellationTokenSource _stopping = new();
    private readonly Lock _stopGate = new();
    private Task? _loop;
    private Task? _stop;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var snapshots = await store.LoadAsync(cancellationToken);
        var restored = buffers.Restore(snapshots);
        LogRestored(restored, snapshots.Sum(s => (long)s.Values.Length));
        _loop = SaveLoopAsync(_stopping.Token);
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        lock (_stopGate)
        {
            return _stop ??= StopOnceAsync(cancellationToken);
        }
    }

    public void Dispose() => _stopping.Cancel();

    private async Task StopOnceAsync(CancellationToken cancellationToken)
    {
        await _stopping.CancelAsync();
        if (_loop is not null)
        {
            await _loop;
        }
        try
        {
            await SaveAsync(cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            LogFinalSaveCancelled(options.Value.Buffers.SnapshotInterval);
        }
    }

    private async Task SaveLoopAsync(CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(options.Value.Buffers.SnapshotInterval, clock);
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken))
            {
                try
                {
                    await SaveAsync(cancellationToken);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    LogSaveFailed(e);
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    private async Task SaveAsync(CancellationToken cancellationToken)
    {
        var rings = buffers.Snapshot();
        await store.SaveAsync(rings, cancellationToken);
        LogSaved(rings.Count);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Restored {Series} series ({Slots} slots) from the buffer snapshot")]
    private partial void LogRestored(int series, long slots);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Saved a buffer snapshot of {Series} series")]
    private partial void LogSaved(int series);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The host's shutdown timeout ended the final buffer snapshot; the previous one (at most {Interval} old) stands")]
    private partial void LogFinalSaveCancelled(TimeSpan interval);

    [LoggerMessage(Level = LogLevel.Error, Message = "Saving the buffer snapshot failed; the next interval retries")]
    private partial void LogSaveFailed(Exception exception);
}
