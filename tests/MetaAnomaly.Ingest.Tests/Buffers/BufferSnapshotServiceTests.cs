using MetaAnomaly.Ingest.Buffers;
using MetaAnomaly.Ingest.Configuration;
using MetaAnomaly.Ingest.Storage;
using MetaAnomaly.Ingest.Wal;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using static MetaAnomaly.Ingest.Tests.TestBuffers;

namespace MetaAnomaly.Ingest.Tests.Buffers;

public sealed class BufferSnapshotServiceTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task StoppingAgainAfterDisposalSavesOnceAndDoesNotThrow()
    {
        var store = NewStore();
        var buffers = Create(capacity: 32);
        await using var log = NewLog();
        var service = await StartedServiceWithTwentyPointsAsync(buffers, store, log);

        await service.StopAsync(CancellationToken.None);
        service.Dispose();
        await service.StopAsync(CancellationToken.None);

        await AssertTwentyPointsRestoredAsync(store);
    }

    [Fact]
    public async Task DisposalDuringTheFinalSaveWaitsForItBeforeTheLogCloses()
    {
        var store = NewStore();
        var buffers = Create(capacity: 32);
        var log = NewLog();
        var service = await StartedServiceWithTwentyPointsAsync(buffers, store, log);

        var stopping = service.StopAsync(CancellationToken.None);
        await service.DisposeAsync();
        await log.DisposeAsync();
        await stopping;

        await AssertTwentyPointsRestoredAsync(store);
    }

    [Fact]
    public async Task ASeriesIsRecoveredThroughWhatTheSnapshotAndTheLogHeldNotThroughWhatArrivesAfterTheRestart()
    {
        var store = NewStore();
        var step = TimeSpan.FromSeconds(30);
        var running = Create(capacity: 64);
        await using (var log = NewLog())
        {
            var service = NewService(running, store, log);
            await service.StartAsync(CancellationToken.None);
            running.Ingest(Regular(Key("a"), 20, step));
            await service.StopAsync(CancellationToken.None);
            service.Dispose();
            var logged = Regular(Key("a"), 5, step, start: Epoch + step * 20);
            await log.AppendAsync(logged, CancellationToken.None);
        }
        Assert.Null(running.Describe(Key("a"))!.RecoveredThrough);

        var restarted = Create(capacity: 64);
        await using (var log = NewLog())
        {
            using var service = NewService(restarted, store, log);
            await service.StartAsync(CancellationToken.None);
            restarted.Ingest(Regular(Key("a"), 3, step, start: Epoch + step * 25));
            restarted.Ingest(Regular(Key("b"), 20, step));

            Assert.Equal(Epoch + step * 24, restarted.Describe(Key("a"))!.RecoveredThrough);
            Assert.Equal(Epoch + step * 27, restarted.Describe(Key("a"))!.LastTimestamp);
            Assert.Null(restarted.Describe(Key("b"))!.RecoveredThrough);
        }
    }

    private BufferSnapshotStore NewStore() =>
        new(new SqliteStateDatabase(_temp.File("state.db"), IngestMigrations.All, NullLogger<SqliteStateDatabase>.Instance), TimeProvider.System);

    private WriteAheadLog NewLog() => new(_temp.File("wal"), 1 << 20, NullLogger<WriteAheadLog>.Instance);

    private static BufferSnapshotService NewService(SeriesBuffers buffers, BufferSnapshotStore store, WriteAheadLog log) =>
        new(buffers, store, log, Options.Create(new IngestOptions()), TimeProvider.System, NullLogger<BufferSnapshotService>.Instance);

    private static async Task<BufferSnapshotService> StartedServiceWithTwentyPointsAsync(SeriesBuffers buffers, BufferSnapshotStore store, WriteAheadLog log)
    {
        var service = NewService(buffers, store, log);
        await service.StartAsync(CancellationToken.None);
        buffers.Ingest(Regular(Key("a"), 20, TimeSpan.FromSeconds(30)));
        return service;
    }

    private static async Task AssertTwentyPointsRestoredAsync(BufferSnapshotStore store)
    {
        var restored = Create(capacity: 32);
        Assert.Equal(1, restored.Restore(await store.LoadAsync(CancellationToken.None)));
        Assert.Equal(20, restored.Latest(Key("a"), 100)!.Values.Length);
    }
}
