using MetaAnomaly.Ingest.Influx;
using MetaAnomaly.Shared.Series;
using MetaAnomaly.Testing;
using Microsoft.Extensions.DependencyInjection;
using static MetaAnomaly.Ingest.Tests.Influx.InfluxTestSupport;

namespace MetaAnomaly.Ingest.Tests.Influx;

public sealed class WriteBackTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task AnomaliesWrittenBackCanBeQueriedAndTheDatabaseIsCreated()
    {
        var database = NewDatabase("writeback");
        var settings = Settings(TestEnvironment.InfluxDbUrl, database);
        settings["Ingest:Influx:WriteBatchSize"] = "7";
        using var host = IngestHost.Build(_temp.Path, settings);
        var client = Client(host);
        var start = new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);
        var points = Enumerable.Range(0, 20).Select(i => new WriteBackPoint(
            start.AddMinutes(i),
            new Dictionary<string, string> { ["series"] = "cpu,host=a#usage", ["rule"] = "residual z>4" },
            new Dictionary<string, double> { ["score"] = i * 0.25, ["bad"] = i == 3 ? double.NaN : 1 },
            new Dictionary<string, string> { ["severity"] = i % 2 == 0 ? "high" : "low \"x\"" })).ToArray();

        var writeBack = Assert.Single(host.Services.GetServices<IWriteBack>());
        await writeBack.WriteAsync(points, CancellationToken.None);

        var rows = (await client.QueryAsync(database, "SELECT score, bad, severity FROM metaanomaly_anomaly GROUP BY *", CancellationToken.None).ToArrayAsync())
            .SelectMany(s => s.Values.Select(v => (s.Tags, Row: v))).ToArray();
        Assert.Equal(20, rows.Length);
        Assert.All(rows, r => Assert.Equal("cpu,host=a#usage", r.Tags["series"]));
        Assert.Equal(Enumerable.Range(0, 20).Select(i => i * 0.25), rows.Select(r => (double)r.Row[1]!));
        Assert.Null(rows[3].Row[2]);
        Assert.Equal("low \"x\"", rows[1].Row[3]);
        Assert.Equal(InfluxPullSourceTestsTime(start), (long)rows[0].Row[0]!);
    }

    [Fact]
    public void NoWriteBackIsRegisteredWithoutInflux()
    {
        using var host = IngestHost.Build(_temp.Path, new Dictionary<string, string?> { ["Ingest:Demo:Enabled"] = "false" });
        Assert.Empty(host.Services.GetServices<IWriteBack>());
    }

    private static long InfluxPullSourceTestsTime(DateTimeOffset time) => time.ToUnixTimeMilliseconds() * 1_000_000;
}
