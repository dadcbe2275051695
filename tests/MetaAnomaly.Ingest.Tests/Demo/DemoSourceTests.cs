using MetaAnomaly.Ingest.Buffers;
using MetaAnomaly.Ingest.Demo;
using MetaAnomaly.Shared.Series;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace MetaAnomaly.Ingest.Tests.Demo;

public sealed class DemoSourceTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void EveryBundledFileLoadsWithEnoughHistoryForSeveralDays()
    {
        foreach (var series in DemoSeries.Bundled)
        {
            var recording = DemoRecording.Read(DemoSource.OpenBundled(series.File));
            Assert.True(recording.Rows > series.BackfillRows, series.File);
            Assert.True(TimeSpan.FromTicks(recording.OffsetTicks[series.BackfillRows - 1]) > TimeSpan.FromDays(4), series.File);
        }
    }

    [Fact]
    public void LoopsContinueTimestampsForward()
    {
        var recording = DemoRecording.Read(DemoSource.OpenBundled(DemoSeries.Bundled[0].File));
        var rows = recording.Rows;
        var stamps = Enumerable.Range(rows - 3, 6).Select(r => recording.TicksOf(0, r)).ToArray();

        Assert.All(stamps.Zip(stamps.Skip(1)), pair => Assert.Equal(TimeSpan.FromMinutes(5).Ticks, pair.Second - pair.First));
        Assert.Equal(rows + 1, recording.RowAfter(0, recording.TicksOf(0, rows)));
    }

    [Fact]
    public async Task BackfillsStreamsAndResumesAfterRestartWithoutGapOrDuplicate()
    {
        var settings = new Dictionary<string, string?>
        {
            ["Ingest:Demo:StepInterval"] = "00:00:00.005",
            ["Ingest:Buffers:SnapshotInterval"] = "01:00:00",
        };
        var key = DemoSeries.Bundled[0].Key;
        var backfill = DemoSeries.Bundled[0].BackfillRows;
        SeriesInfo before;
        using (var host = IngestHost.Build(_temp.Path, settings))
        {
            await host.StartAsync();
            var buffers = host.Services.GetRequiredService<ISeriesBuffers>();
            await IngestHost.WaitUntilAsync(() => buffers.Describe(key)?.PointCount > backfill + 20, TimeSpan.FromSeconds(20), "the demo stream");
            await host.StopAsync();
            before = buffers.Describe(key)!;
            Assert.Equal(7, buffers.ListSeries().Count);
            Assert.Equal(0, host.Services.GetRequiredService<IngestCounters>().SkippedOutOfRange);
        }

        using (var host = IngestHost.Build(_temp.Path, settings))
        {
            await host.StartAsync();
            var buffers = host.Services.GetRequiredService<ISeriesBuffers>();
            Assert.True(buffers.Describe(key)!.LastTimestamp >= before.LastTimestamp);
            await IngestHost.WaitUntilAsync(() => buffers.Describe(key)?.PointCount > before.PointCount + 20, TimeSpan.FromSeconds(20), "the resumed stream");
            await host.StopAsync();

            var after = buffers.Describe(key)!;
            var window = buffers.Range(key, before.FirstTimestamp!.Value, after.LastTimestamp!.Value)!;
            var capacityStart = after.LastTimestamp!.Value - TimeSpan.FromMinutes(5) * (window.Count - 1);
            Assert.Equal(0, window.GapCount);
            Assert.Equal(window.Count, Math.Min(after.PointCount, 4096));
            Assert.Equal(capacityStart, window.Start);
        }
    }
}
