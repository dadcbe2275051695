using InfluxDB.Client.Core.Exceptions;
using MetaAnomaly.Ingest.Buffers;
using MetaAnomaly.Ingest.Configuration;
using MetaAnomaly.Ingest.Influx;
using MetaAnomaly.Ingest.WriteBack;
using MetaAnomaly.Shared.Series;
using MetaAnomaly.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using static MetaAnomaly.Ingest.Tests.Influx.InfluxTestSupport;

namespace MetaAnomaly.Ingest.Tests.Influx;

/// <summary>
/// <c>Ingest:Influx:Version=2</c>. No InfluxDB 2.x or 3.x server installs here: the write-back goes through the real
/// InfluxDB.Client to MetaAnomaly's own <c>/api/v2/write</c>, the health check and the pull go to influxd 1.6.7's
/// <c>/ping</c> and v1 <c>/query</c> (the API that 2.x and 3.x keep compatible); the token and DBRP checks of a real
/// 2.x server are not exercised.
/// </summary>
public sealed class InfluxV2Tests : IDisposable
{
    private const string Org = "metaanomaly";
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    private static Dictionary<string, string?> V2Settings(Uri url, string bucket, bool pull = false)
    {
        var settings = Settings(url, "ignored-with-version-2", pull);
        settings["Ingest:Influx:Version"] = "2";
        settings["Ingest:Influx:Token"] = "a-2x-api-token";
        settings["Ingest:Influx:Org"] = Org;
        settings["Ingest:Influx:Bucket"] = bucket;
        return settings;
    }

    private static IOptions<IngestOptions> V2Options(Uri url, string bucket) => Options.Create(new IngestOptions
    {
        Influx = new InfluxOptions { Url = url.ToString(), Version = 2, Token = "a-2x-api-token", Org = Org, Bucket = bucket, WriteBatchSize = 2 },
    });

    [Fact]
    public async Task Version2WithoutTokenOrgOrBucketFailsAtStartNamingTheKeys()
    {
        using var host = IngestHost.Build(_temp.Path, new Dictionary<string, string?>
        {
            ["Ingest:Influx:Url"] = "http://127.0.0.1:1",
            ["Ingest:Influx:Version"] = "2",
            ["Ingest:Influx:Username"] = "admin",
        });

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());
        foreach (var key in (string[])["Ingest:Influx:Token", "Ingest:Influx:Org", "Ingest:Influx:Bucket", "Ingest:Influx:Username"])
        {
            Assert.Contains(key, error.Message);
        }
    }

    [Fact]
    public async Task AnUnknownVersionFailsAtStart()
    {
        using var host = IngestHost.Build(_temp.Path, new Dictionary<string, string?> { ["Ingest:Influx:Url"] = "http://127.0.0.1:1", ["Ingest:Influx:Version"] = "3" });

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());
        Assert.Contains("Ingest:Influx:Version must be 1", error.Message);
    }

    [Fact]
    public void Version2AddressesTheBucketWhereVersion1NamesTheDatabase()
    {
        using var host = IngestHost.Build(_temp.Path, V2Settings(new Uri("http://127.0.0.1:1"), "metrics"));

        var options = host.Services.GetRequiredService<IOptions<IngestOptions>>().Value;
        Assert.Equal("metrics", options.Influx.Database);
        Assert.IsType<InfluxV2WriteBack>(host.Services.GetRequiredService<IWriteBack>());
    }

    [Fact]
    public async Task TheWriteBackWritesThroughInfluxDbClientToAV2WriteEndpoint()
    {
        await using var server = await PushServer.StartAsync(_temp.Path, new Dictionary<string, string?> { ["Ingest:Push:Org"] = Org });
        using var connection = new InfluxV2Connection(V2Options(server.Url, "anomalies"));
        var writeBack = new InfluxV2WriteBack(connection, V2Options(server.Url, "anomalies"));
        var start = DateTimeOffset.UtcNow.AddMinutes(-20);
        var points = Enumerable.Range(0, 10).Select(i => new WriteBackPoint(
            start.AddMinutes(i),
            new Dictionary<string, string> { ["series"] = "cpu,host=a#usage", ["empty"] = "" },
            new Dictionary<string, double> { ["score"] = i / 10.0, ["upper"] = i == 2 ? double.NaN : i },
            new Dictionary<string, string> { ["severity"] = "high" })).ToArray();

        await writeBack.WriteAsync(points, CancellationToken.None);

        var buffers = server.Services.GetRequiredService<ISeriesBuffers>();
        var score = buffers.Latest(new SeriesKey("metaanomaly_anomaly", [new("series", "cpu,host=a#usage")], "score"), 10)!;
        Assert.Equal(Enumerable.Range(0, 10).Select(i => i / 10.0), score.Values);
        Assert.Equal(9, buffers.Describe(new SeriesKey("metaanomaly_anomaly", [new("series", "cpu,host=a#usage")], "upper"))!.PointCount);
        Assert.Equal(10, server.Services.GetRequiredService<IngestCounters>().NonNumericFields);
    }

    [Fact]
    public async Task AWriteBackTheServerRefusesSurfacesTheLibrarysError()
    {
        await using var server = await PushServer.StartAsync(_temp.Path, new Dictionary<string, string?> { ["Ingest:Push:Org"] = "another-org" });
        using var connection = new InfluxV2Connection(V2Options(server.Url, "anomalies"));
        var writeBack = new InfluxV2WriteBack(connection, V2Options(server.Url, "anomalies"));
        var point = new WriteBackPoint(DateTimeOffset.UtcNow, new Dictionary<string, string>(), new Dictionary<string, double> { ["score"] = 1 });

        var error = await Assert.ThrowsAsync<NotFoundException>(async () => await writeBack.WriteAsync([point], CancellationToken.None));
        Assert.Contains("organization name \"metaanomaly\" not found", error.Message);
    }

    [Fact]
    public async Task TheHealthCheckPingsThroughTheLibrary()
    {
        using var reachable = new InfluxV2Connection(V2Options(TestEnvironment.InfluxDbUrl, "any"));
        using var unreachable = new InfluxV2Connection(V2Options(new Uri($"http://127.0.0.1:{FreePort.Next()}"), "any"));

        var healthy = await new InfluxV2HealthCheck(reachable).CheckHealthAsync(new HealthCheckContext());
        var degraded = await new InfluxV2HealthCheck(unreachable).CheckHealthAsync(new HealthCheckContext());

        Assert.Equal(HealthStatus.Healthy, healthy.Status);
        Assert.Equal(HealthStatus.Degraded, degraded.Status);
        Assert.Contains("Ingest:Influx:Url", degraded.Description);
    }

    [Fact]
    public async Task Version2PullsTheBucketThroughTheV1CompatibleQueryApi()
    {
        var bucket = NewDatabase("v2pull");
        using var host = IngestHost.Build(_temp.Path, V2Settings(TestEnvironment.InfluxDbUrl, bucket, pull: true));
        await Client(host).ExecuteAsync(null, $"CREATE DATABASE {InfluxQl.Identifier(bucket)}", CancellationToken.None);
        await Client(host).WriteAsync(bucket, null, CpuLines(30, "v2"), "s", CancellationToken.None);

        await host.StartAsync();
        var buffers = host.Services.GetRequiredService<ISeriesBuffers>();
        var usage = new SeriesKey("cpu", [new("host", "v2")], "usage");
        await IngestHost.WaitUntilAsync(() => buffers.Describe(usage)?.PointCount == 30, TimeSpan.FromSeconds(20), "the v2 pull");
        Assert.Equal(Enumerable.Range(0, 30).Select(i => (double)i), buffers.Latest(usage, 30)!.Values);
        await host.StopAsync();
    }
}
