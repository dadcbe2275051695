using MetaAnomaly.Ingest.Wal;
using MetaAnomaly.Shared.Series;
using Microsoft.Extensions.Logging;

namespace MetaAnomaly.Ingest.Tests.Wal;

public sealed class WriteAheadLogTests : IDisposable
{
    private static readonly DateTimeOffset Start = new(2026, 11, 1, 0, 0, 0, TimeSpan.Zero);
    private readonly TempDirectory _folder = new();
    private readonly LogRecorder _logs = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task ReopenedLogReplaysEveryAppendedPointInOrder()
    {
        await using (var log = Log())
        {
            await log.OpenAsync(_ => { }, CancellationToken.None);
            await log.AppendAsync(Batch("cpu,host=a#usage", 0, 3), CancellationToken.None);
            await log.AppendAsync(Batch("cpu,host=b\\ c#usage", 3, 2), CancellationToken.None);
        }

        var replayed = await ReplayAsync();

        Assert.Equal([.. Batch("cpu,host=a#usage", 0, 3), .. Batch("cpu,host=b\\ c#usage", 3, 2)], replayed);
    }

    [Fact]
    public async Task TornLastRecordIsCutOffWithAWarningAndTheRecordsBeforeItReplay()
    {
        await using (var log = Log())
        {
            await log.OpenAsync(_ => { }, CancellationToken.None);
            await log.AppendAsync(Batch("cpu#usage", 0, 2), CancellationToken.None);
            await log.AppendAsync(Batch("cpu#usage", 2, 2), CancellationToken.None);
        }
        var segment = Assert.Single(Directory.GetFiles(_folder.Path, "*.wal"), f => new FileInfo(f).Length > 8);
        var intact = new FileInfo(segment).Length;
        using (var file = new FileStream(segment, FileMode.Open))
        {
            file.SetLength(intact - 5);
        }

        var replayed = await ReplayAsync();

        Assert.Equal(Batch("cpu#usage", 0, 2), replayed);
        Assert.Contains(_logs.Entries, e => e.Level == LogLevel.Warning && e.Message.Contains("torn or corrupt") && e.Message.Contains(segment));
        Assert.True(new FileInfo(segment).Length < intact - 5, "the torn tail is cut off the segment");
    }

    [Fact]
    public async Task RecordWithAWrongChecksumIsSkippedWithAWarning()
    {
        await using (var log = Log())
        {
            await log.OpenAsync(_ => { }, CancellationToken.None);
            await log.AppendAsync(Batch("cpu#usage", 0, 2), CancellationToken.None);
            await log.AppendAsync(Batch("cpu#usage", 2, 2), CancellationToken.None);
        }
        var segment = Directory.GetFiles(_folder.Path, "*.wal").Single(f => new FileInfo(f).Length > 8);
        var bytes = await File.ReadAllBytesAsync(segment);
        bytes[^3] ^= 0xFF;
        await File.WriteAllBytesAsync(segment, bytes);

        var replayed = await ReplayAsync();

        Assert.Equal(Batch("cpu#usage", 0, 2), replayed);
        Assert.Single(_logs.Entries, e => e.Level == LogLevel.Warning && e.Message.Contains("torn or corrupt"));
    }

    [Fact]
    public async Task SegmentsThroughARotationAreDeletedAndLaterOnesKept()
    {
        await using (var log = Log())
        {
            await log.OpenAsync(_ => { }, CancellationToken.None);
            await log.AppendAsync(Batch("cpu#usage", 0, 2), CancellationToken.None);
            var covered = await log.RotateAsync(CancellationToken.None);
            await log.AppendAsync(Batch("cpu#usage", 2, 1), CancellationToken.None);
            log.DeleteThrough(covered);
        }

        Assert.Equal(Batch("cpu#usage", 2, 1), await ReplayAsync());
    }

    [Fact]
    public async Task SegmentPastItsSizeLimitIsClosedAndTheNextOneTakesTheRest()
    {
        await using (var log = Log(segmentBytes: 100))
        {
            await log.OpenAsync(_ => { }, CancellationToken.None);
            for (var i = 0; i < 10; i++)
            {
                await log.AppendAsync(Batch("cpu#usage", i * 10, 10), CancellationToken.None);
            }
        }

        Assert.True(Directory.GetFiles(_folder.Path, "*.wal").Length >= 10);
        Assert.Equal(Batch("cpu#usage", 0, 100), await ReplayAsync());
    }

    private WriteAheadLog Log(long segmentBytes = 1 << 20) => new(_folder.Path, segmentBytes, _logs.For<WriteAheadLog>());

    private async Task<List<DataPoint>> ReplayAsync()
    {
        var replayed = new List<DataPoint>();
        await using var log = Log();
        await log.OpenAsync(replayed.AddRange, CancellationToken.None);
        return replayed;
    }

    private static DataPoint[] Batch(string key, int first, int count) =>
        Enumerable.Range(first, count)
            .Select(i => new DataPoint(SeriesKey.Parse(key), Start.AddSeconds(10 * i), i * 1.5))
            .ToArray();
}
