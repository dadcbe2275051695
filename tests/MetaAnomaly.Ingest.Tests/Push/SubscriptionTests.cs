using MetaAnomaly.Ingest.Influx;
using MetaAnomaly.Shared.Series;
using MetaAnomaly.Testing;
using Microsoft.Extensions.DependencyInjection;
using static MetaAnomaly.Ingest.Tests.Influx.InfluxTestSupport;

namespace MetaAnomaly.Ingest.Tests.Push;

public sealed class SubscriptionTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task PointsWrittenToInfluxArriveThroughARealSubscription()
    {
        var database = NewDatabase("subscribe");
        await using var server = await PushServer.StartAsync(_temp.Path, new Dictionary<string, string?>
        {
            ["Ingest:Influx:Url"] = TestEnvironment.InfluxDbUrl.ToString(),
            ["Ingest:Influx:Database"] = database,
            ["Ingest:Pull:Enabled"] = "false",
        });
        var client = server.Services.GetRequiredService<InfluxClient>();
        await client.ExecuteAsync(null, $"CREATE DATABASE {InfluxQl.Identifier(database)}", CancellationToken.None);
        await client.ExecuteAsync(database,
            $"CREATE SUBSCRIPTION \"metaanomaly\" ON {InfluxQl.Identifier(database)}.\"autogen\" DESTINATIONS ALL '{server.Url.ToString().TrimEnd('/')}'",
            CancellationToken.None);
        try
        {
            var buffers = server.Services.GetRequiredService<ISeriesBuffers>();
            var key = new SeriesKey("cpu", [new("host", "sub")], "usage");
            var deadline = DateTime.UtcNow.AddSeconds(30);
            // The subscriber picks up a new subscription within moments; writes before that are not forwarded.
            for (var round = 0; buffers.Describe(key)?.PointCount != 50 && DateTime.UtcNow < deadline; round++)
            {
                await client.WriteAsync(database, null, CpuLines(50, "sub"), "s", CancellationToken.None);
                await Task.Delay(300);
            }

            var window = buffers.Latest(key, 100)!;
            Assert.Equal(Enumerable.Range(0, 50).Select(i => (double)i), window.Values);
            Assert.Equal(TimeSpan.FromMinutes(1), window.Step);
        }
        finally
        {
            await client.ExecuteAsync(database, $"DROP SUBSCRIPTION \"metaanomaly\" ON {InfluxQl.Identifier(database)}.\"autogen\"", CancellationToken.None);
        }
    }
}
