using System.Net;
using System.Text;
using MetaAnomaly.Shared.Series;
using MetaAnomaly.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace MetaAnomaly.Ingest.Tests.Wal;

/// <summary>Kill-style restarts of the push path: a <see cref="CrashImage"/> taken right after the writes were answered.</summary>
public sealed class KillRestartTests : IDisposable
{
    private static readonly long Now = DateTimeOffset.UtcNow.ToUnixTimeSeconds() / 10 * 10;
    private static readonly Dictionary<string, string?> Settings = new() { ["Ingest:Buffers:SnapshotInterval"] = "01:00:00" };
    private readonly TempDirectory _running = new();
    private readonly TempDirectory _restarted = new();

    public void Dispose()
    {
        _running.Dispose();
        _restarted.Dispose();
    }

    [Fact]
    public async Task EveryAcknowledgedPointSurvivesAKillBeforeAnySnapshot()
    {
        await using (var server = await PushServer.StartAsync(_running.Path, Settings))
        {
            using var http = new HttpClient { BaseAddress = server.Url };
            for (var batch = 0; batch < 5; batch++)
            {
                using var response = await http.PostAsync("/write?db=telegraf&precision=s", new StringContent(Lines(batch * 100, 100)));
                Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
            }
            CrashImage.Copy(_running.Path, _restarted.Path);
        }

        await using var restarted = await PushServer.StartAsync(_restarted.Path, Settings);
        var buffers = restarted.Services.GetRequiredService<ISeriesBuffers>();

        Assert.Equal(10, buffers.ListSeries().Count);
        Assert.All(buffers.ListSeries(), series => Assert.Equal(50, series.PointCount));
        var window = buffers.Latest(SeriesKey.Parse("cpu,host=h3#usage"), 50)!;
        Assert.Equal(Enumerable.Range(0, 50).Select(step => step + 0.5), window.Values);
    }

    [Fact]
    public async Task PointsOfSeriesWithoutAStepYetSurviveASnapshotAndAKill()
    {
        await using (var server = await PushServer.StartAsync(_running.Path, Settings))
        {
            using var http = new HttpClient { BaseAddress = server.Url };
            using var response = await http.PostAsync("/write?db=telegraf&precision=s",
                new StringContent($"disk,host=a free=1 {Now - 20}\ndisk,host=a free=2 {Now - 10}\n"));
            Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
            await server.Services.GetServices<Microsoft.Extensions.Hosting.IHostedService>()
                .OfType<MetaAnomaly.Ingest.Buffers.BufferSnapshotService>().Single().StopAsync(CancellationToken.None);
            CrashImage.Copy(_running.Path, _restarted.Path);
        }

        await using var restarted = await PushServer.StartAsync(_restarted.Path, Settings);

        Assert.Equal(2, restarted.Services.GetRequiredService<ISeriesBuffers>().Describe(SeriesKey.Parse("disk,host=a#free"))!.PointCount);
    }

    [Fact]
    public async Task EveryPointOfConcurrentWritersSurvivesAKill()
    {
        const int writers = 8, writes = 20, stepsPerWrite = 5;
        await using (var server = await PushServer.StartAsync(_running.Path, Settings))
        {
            var statuses = await Task.WhenAll(Enumerable.Range(0, writers).Select(writer => Task.Run(async () =>
            {
                using var http = new HttpClient { BaseAddress = server.Url };
                var answered = new List<HttpStatusCode>();
                for (var write = 0; write < writes; write++)
                {
                    var text = new StringBuilder();
                    for (var step = write * stepsPerWrite; step < (write + 1) * stepsPerWrite; step++)
                    {
                        text.Append($"mem,writer=w{writer} used={step} {Now - (writes * stepsPerWrite - step) * 10}\n");
                    }
                    using var response = await http.PostAsync("/write?db=telegraf&precision=s", new StringContent(text.ToString()));
                    answered.Add(response.StatusCode);
                }
                return answered;
            })));
            Assert.All(statuses.SelectMany(s => s), status => Assert.Equal(HttpStatusCode.NoContent, status));
            CrashImage.Copy(_running.Path, _restarted.Path);
        }

        await using var restarted = await PushServer.StartAsync(_restarted.Path, Settings);
        var buffers = restarted.Services.GetRequiredService<ISeriesBuffers>();

        Assert.Equal(writers, buffers.ListSeries().Count);
        for (var writer = 0; writer < writers; writer++)
        {
            var window = buffers.Latest(SeriesKey.Parse($"mem,writer=w{writer}#used"), writes * stepsPerWrite)!;
            Assert.Equal(Enumerable.Range(0, writes * stepsPerWrite).Select(step => (double)step), window.Values);
        }
    }

    /// <summary>Ten series (host h0..h9, one field) at steps <paramref name="first"/>/10 on, ten points each.</summary>
    private static string Lines(int first, int count)
    {
        var text = new StringBuilder();
        for (var i = first; i < first + count; i++)
        {
            var step = i / 10;
            text.Append($"cpu,host=h{i % 10} usage={step}.5 {Now - (50 - step) * 10}\n");
        }
        return text.ToString();
    }
}
