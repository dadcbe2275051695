using System.Text;
using MetaAnomaly.Ingest.Configuration;
using MetaAnomaly.Ingest.Influx;
using MetaAnomaly.Ingest.LineProtocol;
using MetaAnomaly.Ingest.Pull;
using MetaAnomaly.Ingest.Storage;
using MetaAnomaly.Shared.Series;
using MetaAnomaly.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using static MetaAnomaly.Ingest.Tests.Influx.InfluxTestSupport;

namespace MetaAnomaly.Ingest.Tests.Pull;

public sealed class InfluxPullSourceTests : IDisposable
{
    private static readonly SeriesKey UsageA = new("cpu", [new("host", "a")], "usage");
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    private static async Task<string> CreateDatabaseAsync(IHost host, string database)
    {
        await Client(host).ExecuteAsync(null, $"CREATE DATABASE {InfluxQl.Identifier(database)}", CancellationToken.None);
        return database;
    }

    [Fact]
    public async Task PullsThenResumesAfterRestartWithLatePointsAndNoGapOrDuplicate()
    {
        var database = NewDatabase("pull");
        var settings = Settings(TestEnvironment.InfluxDbUrl, database, pull: true);
        settings["Ingest:Pull:GraceWindow"] = "00:10:00";
        var end = DateTimeOffset.UtcNow.AddMinutes(-30);
        var first = LineProtocolParser.ParseAll(CpuLines(100, end: end)).Points;
        var late = first[95];
        var writer = new LineProtocolWriter();
        foreach (var point in first.Where(p => p != late))
        {
            writer.Write(point);
        }

        using (var host = IngestHost.Build(_temp.Path, settings))
        {
            await CreateDatabaseAsync(host, database);
            await Client(host).WriteAsync(database, null, writer.Written, "s", CancellationToken.None);
            await host.StartAsync();
            var buffers = host.Services.GetRequiredService<ISeriesBuffers>();
            await IngestHost.WaitUntilAsync(() => buffers.Describe(UsageA)?.PointCount == 99, TimeSpan.FromSeconds(20), "the first pull");
            Assert.Null(buffers.Describe(new SeriesKey("cpu", [new("host", "a")], "note")));
            Assert.Equal(99, buffers.Describe(new SeriesKey("cpu", [new("host", "a")], "load"))!.PointCount);
            await host.StopAsync();
        }

        using (var host = IngestHost.Build(_temp.Path, settings))
        {
            writer.Clear();
            writer.Write(late);
            await Client(host).WriteAsync(database, null, writer.Written, "s", CancellationToken.None);
            await Client(host).WriteAsync(database, null, CpuLines(20, offset: 100, end: end.AddMinutes(20)), "s", CancellationToken.None);
            await host.StartAsync();
            var buffers = host.Services.GetRequiredService<ISeriesBuffers>();
            Assert.Equal(99, buffers.Describe(UsageA)!.PointCount);
            await IngestHost.WaitUntilAsync(() => buffers.Describe(UsageA)?.PointCount == 120, TimeSpan.FromSeconds(20), "the resumed pull");
            await host.StopAsync();

            var window = buffers.Latest(UsageA, 1000)!;
            Assert.Equal(Enumerable.Range(0, 120).Select(i => (double)i), window.Values);
        }
    }

    [Fact]
    public async Task SelectionHonoursMeasurementRegexFieldsTagsAndTheSeriesCap()
    {
        var database = NewDatabase("select");
        var settings = Settings(TestEnvironment.InfluxDbUrl, database);
        settings["Ingest:Pull:Measurements"] = "^cp";
        settings["Ingest:Pull:Fields:0"] = "usage";
        settings["Ingest:Pull:Tags:host"] = "a";
        using var host = IngestHost.Build(_temp.Path, settings);
        await host.StartAsync();
        await CreateDatabaseAsync(host, database);
        await Client(host).WriteAsync(database, null, (byte[])[.. CpuLines(10, "a"), .. CpuLines(10, "b"), .. "disk,host=a used=1 1700000000\n"u8], "s", CancellationToken.None);

        var report = await ActivatorUtilities.CreateInstance<InfluxPullSource>(host.Services).PollOnceAsync(CancellationToken.None);

        var buffers = host.Services.GetRequiredService<ISeriesBuffers>();
        Assert.Equal(1, report.Measurements);
        Assert.Equal([UsageA], buffers.ListSeries().Select(s => s.Key));

        settings.Remove("Ingest:Pull:Tags:host");
        settings["Ingest:Pull:MaxSeries"] = "1";
        using var capped = IngestHost.Build(Directory.CreateDirectory(_temp.File("capped")).FullName, settings);
        await capped.StartAsync();
        await ActivatorUtilities.CreateInstance<InfluxPullSource>(capped.Services).PollOnceAsync(CancellationToken.None);
        Assert.Single(capped.Services.GetRequiredService<ISeriesBuffers>().ListSeries());
    }

    [Fact]
    public async Task TheDefaultSelectionNeverPullsBackItsOwnWriteBack()
    {
        var database = NewDatabase("loop");
        var settings = Settings(TestEnvironment.InfluxDbUrl, database);
        using var host = IngestHost.Build(_temp.Path, settings);
        await host.StartAsync();
        await CreateDatabaseAsync(host, database);
        await Client(host).WriteAsync(database, null, CpuLines(10), "s", CancellationToken.None);
        var anomaly = new WriteBackPoint(
            DateTimeOffset.UtcNow.AddMinutes(-5), new Dictionary<string, string> { ["series_key"] = UsageA.ToString() },
            new Dictionary<string, double> { ["value"] = 90, ["score"] = 12 });
        await host.Services.GetServices<IWriteBack>().Single().WriteAsync([anomaly], CancellationToken.None);
        Assert.Contains(WriteBackOptions.Defaults.Measurement, await Client(host).ShowMeasurementsAsync(database, null, CancellationToken.None));

        var report = await ActivatorUtilities.CreateInstance<InfluxPullSource>(host.Services).PollOnceAsync(CancellationToken.None);

        Assert.Equal(1, report.Measurements);
        Assert.Equal(["cpu"], host.Services.GetRequiredService<ISeriesBuffers>().ListSeries().Select(s => s.Key.Measurement).Distinct());
    }

    [Fact]
    public async Task AMeasurementNamedLikeTheWriteBackIsPulledWhenTheWriteBackGoesToAnotherDatabase()
    {
        var database = NewDatabase("named");
        var settings = Settings(TestEnvironment.InfluxDbUrl, database);
        settings["Ingest:WriteBack:Database"] = NewDatabase("output");
        using var host = IngestHost.Build(_temp.Path, settings);
        await host.StartAsync();
        await CreateDatabaseAsync(host, database);
        await Client(host).WriteAsync(database, null, Encoding.UTF8.GetBytes($"{WriteBackOptions.Defaults.Measurement} score=3 1700000000\n"), "s", CancellationToken.None);

        var report = await ActivatorUtilities.CreateInstance<InfluxPullSource>(host.Services).PollOnceAsync(CancellationToken.None);

        Assert.Equal(1, report.Measurements);
    }

    [Fact]
    public async Task AWatermarkAheadOfTheDataIsResetAndAQueryErrorKeepsIt()
    {
        var database = NewDatabase("ahead");
        var settings = Settings(TestEnvironment.InfluxDbUrl, database);
        settings["Ingest:Influx:RetentionPolicy"] = "missing";
        using var host = IngestHost.Build(_temp.Path, settings);
        await host.StartAsync();
        await CreateDatabaseAsync(host, database);
        await Client(host).WriteAsync(database, null, CpuLines(10), "s", CancellationToken.None);
        var watermarks = host.Services.GetRequiredService<WatermarkStore>();
        var broken = ActivatorUtilities.CreateInstance<InfluxPullSource>(host.Services);

        var error = await Assert.ThrowsAsync<InfluxException>(() => broken.PollOnceAsync(CancellationToken.None));
        Assert.Equal(InfluxErrorKind.QueryFailed, error.Kind);
        Assert.Contains("retention policy", error.Message);
        Assert.Null(await watermarks.GetAsync(broken.WatermarkSource, "cpu", CancellationToken.None));

        settings["Ingest:Influx:RetentionPolicy"] = "autogen";
        using var fixedHost = IngestHost.Build(Directory.CreateDirectory(_temp.File("fixed")).FullName, settings);
        await fixedHost.StartAsync();
        var pull = ActivatorUtilities.CreateInstance<InfluxPullSource>(fixedHost.Services);
        var future = InfluxPullSource.ToNanoseconds(DateTimeOffset.UtcNow.AddYears(5));
        var fixedWatermarks = fixedHost.Services.GetRequiredService<WatermarkStore>();
        await fixedWatermarks.SetAsync(pull.WatermarkSource, "cpu", future, CancellationToken.None);

        await pull.PollOnceAsync(CancellationToken.None);

        Assert.Equal(10, fixedHost.Services.GetRequiredService<ISeriesBuffers>().Describe(UsageA)!.PointCount);
        Assert.True(await fixedWatermarks.GetAsync(pull.WatermarkSource, "cpu", CancellationToken.None) < future);
    }
}
