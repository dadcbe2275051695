using System.Runtime.InteropServices;
using MetaAnomaly.Ingest.Configuration;
using MetaAnomaly.Ingest.Storage;
using MetaAnomaly.Ingest.Wal;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace MetaAnomaly.Ingest.Buffers;

/// <summary>
/// When the host starts (before the sources, which are registered after it), restores the buffers from the state
/// database and replays the write-ahead log over them; then every <c>Ingest:Buffers:SnapshotInterval</c>, and once
/// more when the host stops, saves them and deletes the log segments the saved snapshot covers.
/// </summary>
/// <remarks>
/// Durability rests on the log: a snapshot only shortens the replay, so a kill between two snapshots loses nothing
/// acknowledged. A save rotates the log first, then copies the buffers: every record in a closed segment was applied
/// before the copy (<see cref="DurableIngestor"/> applies, then logs). Points of series still waiting for their step
/// are not in the database's snapshot; they are logged again before the covered segments go. A host under
/// <c>WebApplicationFactory</c> may call <see cref="StopAsync"/> twice, and dispose the container while the first call
/// is still saving: every call shares the one final save, and disposal waits for it (the container disposes this
/// service before the log it was built with, so the log is still open for that save).
/// </remarks>
internal sealed partial class BufferSnapshotService(
    SeriesBuffers buffers,
    BufferSnapshotStore store,
    WriteAheadLog log,
    IOptions<IngestOptions> options,
    TimeProvider clock,
    ILogger<BufferSnapshotService> logger) : IHostedService, IAsyncDisposable, IDisposable
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
        var replay = await log.OpenAsync(points => buffers.Replay(CollectionsMarshal.AsSpan(points)), cancellationToken);
        LogReplayed(replay.Points, replay.Records, replay.Segments, log.Folder);
        _loop = SaveLoopAsync(_stopping.Token);
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        lock (_stopGate)
        {
            return _stop ??= StopOnceAsync(cancellationToken);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_loop is not null)
        {
            await StopAsync(CancellationToken.None);
        }
    }

    public void Dispose() => DisposeAsync().AsTask().GetAwaiter().GetResult();

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
            LogFinalSaveCancelled();
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
        var covered = await log.RotateAsync(cancellationToken);
        var snapshot = buffers.Snapshot();
        await store.SaveAsync(snapshot.Rings, cancellationToken);
        if (snapshot.Pending.Count > 0)
        {
            await log.AppendAsync(snapshot.Pending.ToArray(), cancellationToken);
        }
        log.DeleteThrough(covered);
        LogSaved(snapshot.Rings.Count, covered);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Restored {Series} series ({Slots} slots) from the buffer snapshot")]
    private partial void LogRestored(int series, long slots);

    [LoggerMessage(Level = LogLevel.Information, Message = "Replayed {Points} points ({Records} records, {Segments} segments) from the write-ahead log in {Folder}")]
    private partial void LogReplayed(long points, long records, int segments, string folder);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Saved a buffer snapshot of {Series} series; write-ahead log segments through {Segment} deleted")]
    private partial void LogSaved(int series, long segment);

    [LoggerMessage(Level = LogLevel.Information, Message = "The host's shutdown timeout ended the final buffer snapshot; the write-ahead log still holds every acknowledged point and the next start replays it")]
    private partial void LogFinalSaveCancelled();

    [LoggerMessage(Level = LogLevel.Error, Message = "Saving the buffer snapshot failed; the write-ahead log keeps its segments and the next interval retries")]
    private partial void LogSaveFailed(Exception exception);
}
