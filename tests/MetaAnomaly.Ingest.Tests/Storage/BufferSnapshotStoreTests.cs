using MetaAnomaly.Ingest.Storage;
using Microsoft.Extensions.Logging.Abstractions;
using static MetaAnomaly.Ingest.Tests.TestBuffers;

namespace MetaAnomaly.Ingest.Tests.Storage;

public sealed class BufferSnapshotStoreTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task RestoredBuffersHoldTheSameWindowsAndKeepGrowing()
    {
        var database = new SqliteStateDatabase(_temp.File("state.db"), IngestMigrations.All, NullLogger<SqliteStateDatabase>.Instance);
        var store = new BufferSnapshotStore(database, TimeProvider.System);
        var buffers = Create(capacity: 32);
        var step = TimeSpan.FromSeconds(30);
        buffers.Ingest(Regular(Key("a"), 50, step, i => i * 0.5));
        buffers.Ingest(Regular(Key("b"), 12, step, i => i == 5 ? double.NaN : i));
        await store.SaveAsync(buffers.Snapshot().Rings, CancellationToken.None);

        var restored = Create(capacity: 32);
        Assert.Equal(2, restored.Restore(await store.LoadAsync(CancellationToken.None)));

        foreach (var key in new[] { Key("a"), Key("b") })
        {
            var before = buffers.Latest(key, 100)!;
            var after = restored.Latest(key, 100)!;
            Assert.Equal(before.Start, after.Start);
            Assert.Equal(before.Step, after.Step);
            Assert.Equal(before.Values, after.Values);
            Assert.Equal(buffers.Describe(key)! with { RecoveredThrough = buffers.Describe(key)!.LastTimestamp }, restored.Describe(key));
        }
        restored.Ingest([new(Key("a"), Epoch + step * 50, 99)]);
        Assert.Equal(99, restored.Latest(Key("a"), 1)!.Values[0]);
    }
}
