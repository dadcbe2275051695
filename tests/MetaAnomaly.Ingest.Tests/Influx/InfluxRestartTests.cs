using MetaAnomaly.Ingest.Influx;
using MetaAnomaly.Ingest.Status;
using MetaAnomaly.Shared.Series;
using Microsoft.Extensions.DependencyInjection;
using static MetaAnomaly.Ingest.Tests.Influx.InfluxTestSupport;

namespace MetaAnomaly.Ingest.Tests.Influx;

public sealed class InfluxRestartTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task AnInfluxRestartMidIngestionLosesAndDuplicatesNothing()
    {
        await using var server = await InfluxServer.StartAsync();
        const string database = "restart";
        const int batches = 40, perBatch = 10;
        using var host = IngestHost.Build(_temp.Path, Settings(server.Url, database, pull: true));
        var client = Client(host);
        await client.ExecuteAsync(null, "CREATE DATABASE restart", CancellationToken.None);
        await host.StartAsync();
        var end = DateTimeOffset.UtcNow.AddMinutes(-1);
        var status = host.Services.GetRequiredService<IIngestStatus>();
        var sawOutage = false;

        for (var batch = 0; batch < batches; batch++)
        {
            var batchEnd = end.AddMinutes(-(batches - 1 - batch) * perBatch);
            await client.WriteAsync(database, null, CpuLines(perBatch, offset: batch * perBatch, end: batchEnd), "s", CancellationToken.None);
            if (batch == batches / 2)
            {
                await server.StopAsync();
                await IngestHost.WaitUntilAsync(() => status.Current().Influx != InfluxConnectionState.Connected, TimeSpan.FromSeconds(30), "the pull to notice the outage");
                sawOutage = true;
                await server.StartAsync();
            }
            await Task.Delay(30);
        }

        var buffers = host.Services.GetRequiredService<ISeriesBuffers>();
        var key = new SeriesKey("cpu", [new("host", "a")], "usage");
        await IngestHost.WaitUntilAsync(() => buffers.Describe(key)?.PointCount == batches * perBatch, TimeSpan.FromSeconds(30), "every point after the restart");
        await host.StopAsync();

        Assert.True(sawOutage);
        Assert.Equal(Enumerable.Range(0, batches * perBatch).Select(i => (double)i), buffers.Latest(key, 10_000)!.Values);
        var count = (await client.QueryAsync(database, "SELECT count(usage) FROM cpu", CancellationToken.None).ToArrayAsync()).Single().Values.Single()[1];
        Assert.Equal((double)(batches * perBatch), count);
    }
}
