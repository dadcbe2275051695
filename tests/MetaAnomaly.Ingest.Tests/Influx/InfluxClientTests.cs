using MetaAnomaly.Ingest.Influx;
using MetaAnomaly.Testing;
using static MetaAnomaly.Ingest.Tests.Influx.InfluxTestSupport;

namespace MetaAnomaly.Ingest.Tests.Influx;

public sealed class InfluxClientTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task WritesAndStreamsAChunkedQueryBack()
    {
        var database = NewDatabase("client");
        var settings = Settings(TestEnvironment.InfluxDbUrl, database);
        settings["Ingest:Influx:QueryChunkSize"] = "100";
        using var host = IngestHost.Build(_temp.Path, settings);
        var client = Client(host);
        await client.ExecuteAsync(null, $"CREATE DATABASE {InfluxQl.Identifier(database)}", CancellationToken.None);
        await client.WriteAsync(database, null, CpuLines(1500, "a"), "s", CancellationToken.None);
        await client.WriteAsync(database, null, CpuLines(1000, "b"), "s", CancellationToken.None);

        var chunks = new List<InfluxSeries>();
        await foreach (var series in client.QueryAsync(database, "SELECT usage, load FROM cpu GROUP BY *", CancellationToken.None))
        {
            chunks.Add(series);
        }

        Assert.True(chunks.Count >= 25);
        var a = chunks.Where(c => c.Tags["host"] == "a").SelectMany(c => c.Values).ToArray();
        Assert.Equal(1500, a.Length);
        Assert.Equal(Enumerable.Range(0, 1500).Select(i => (double)i), a.Select(r => (double)r[1]!));
        Assert.Equal(Enumerable.Range(0, 1500).Select(i => 2.0 * i), a.Select(r => (double)r[2]!));
        Assert.All(a.Zip(a.Skip(1)), p => Assert.Equal(60_000_000_000L, (long)p.Second[0]! - (long)p.First[0]!));
        Assert.Equal(1000, chunks.Where(c => c.Tags["host"] == "b").Sum(c => c.Values.Count));
    }

    [Fact]
    public async Task DiscoversMeasurementsFieldsSeriesAndTagValues()
    {
        var database = NewDatabase("discover");
        using var host = IngestHost.Build(_temp.Path, Settings(TestEnvironment.InfluxDbUrl, database));
        var client = Client(host);
        await client.ExecuteAsync(null, $"CREATE DATABASE {InfluxQl.Identifier(database)}", CancellationToken.None);
        await client.WriteAsync(database, null, CpuLines(3, "a").Concat(CpuLines(3, "b")).Concat("mem,host=a free=1i\n"u8.ToArray()).ToArray(), "s", CancellationToken.None);

        Assert.Equal(["cpu", "mem"], await client.ShowMeasurementsAsync(database, null, CancellationToken.None));
        Assert.Equal(["mem"], await client.ShowMeasurementsAsync(database, "^me", CancellationToken.None));
        Assert.Equal([("load", "integer"), ("note", "string"), ("usage", "float")],
            await client.ShowFieldKeysAsync(database, null, "cpu", CancellationToken.None));
        Assert.Equal(["cpu,host=a", "cpu,host=b"], await client.ShowSeriesAsync(database, "cpu", CancellationToken.None));
        Assert.Equal(["a", "b"], await client.ShowTagValuesAsync(database, "cpu", "host", CancellationToken.None));
    }

    [Fact]
    public async Task UnknownDatabaseBadQueryAndRejectedWriteAreClearErrors()
    {
        var database = NewDatabase("errors");
        using var host = IngestHost.Build(_temp.Path, Settings(TestEnvironment.InfluxDbUrl, database));
        var client = Client(host);

        var unknown = await Assert.ThrowsAsync<InfluxException>(() => client.QueryAsync(database, "SELECT * FROM cpu", CancellationToken.None).ToArrayAsync().AsTask());
        Assert.Equal(InfluxErrorKind.DatabaseNotFound, unknown.Kind);
        Assert.Contains("Ingest:Influx:Database", unknown.Message);

        var write = await Assert.ThrowsAsync<InfluxException>(() => client.WriteAsync(database, null, CpuLines(1), "s", CancellationToken.None));
        Assert.Equal(InfluxErrorKind.DatabaseNotFound, write.Kind);

        await client.ExecuteAsync(null, $"CREATE DATABASE {InfluxQl.Identifier(database)}", CancellationToken.None);
        var bad = await Assert.ThrowsAsync<InfluxException>(() => client.QueryAsync(database, "SELEC nothing", CancellationToken.None).ToArrayAsync().AsTask());
        Assert.Equal(InfluxErrorKind.QueryFailed, bad.Kind);

        await client.WriteAsync(database, null, "m f=1 1\n"u8.ToArray(), "s", CancellationToken.None);
        var conflict = await Assert.ThrowsAsync<InfluxException>(() => client.WriteAsync(database, null, "m f=\"text\" 2\n"u8.ToArray(), "s", CancellationToken.None));
        Assert.Equal(InfluxErrorKind.WriteRejected, conflict.Kind);
    }

    [Fact]
    public async Task UnreachableServerIsAClearErrorAfterRetries()
    {
        var settings = Settings(new Uri($"http://127.0.0.1:{FreePort.Next()}"), "x");
        settings["Ingest:Influx:MaxRetries"] = "1";
        using var host = IngestHost.Build(_temp.Path, settings);

        var error = await Assert.ThrowsAsync<InfluxException>(() => Client(host).PingAsync(CancellationToken.None));
        Assert.Equal(InfluxErrorKind.Unreachable, error.Kind);
        Assert.Contains("Ingest:Influx:Url", error.Message);
    }

    [Fact]
    public async Task CredentialsAreSentAndWrongOnesRefused()
    {
        await using var server = await InfluxServer.StartAsync(authEnabled: true);
        using (var bootstrap = IngestHost.Build(_temp.Path, Settings(server.Url, "x")))
        {
            await Client(bootstrap).ExecuteAsync(null, "CREATE USER admin WITH PASSWORD 'right' WITH ALL PRIVILEGES", CancellationToken.None);
        }

        var wrong = Settings(server.Url, "x");
        wrong["Ingest:Influx:Username"] = "admin";
        wrong["Ingest:Influx:Password"] = "wrong";
        using (var host = IngestHost.Build(_temp.Path, wrong))
        {
            var error = await Assert.ThrowsAsync<InfluxException>(() => Client(host).ShowMeasurementsAsync("_internal", null, CancellationToken.None));
            Assert.Equal(InfluxErrorKind.Unauthorized, error.Kind);
            Assert.Contains("Ingest:Influx:Username", error.Message);
        }

        var right = Settings(server.Url, "x");
        right["Ingest:Influx:Username"] = "admin";
        right["Ingest:Influx:Password"] = "right";
        using (var host = IngestHost.Build(_temp.Path, right))
        {
            await Client(host).ExecuteAsync(null, "CREATE DATABASE secured", CancellationToken.None);
            Assert.Empty(await Client(host).ShowMeasurementsAsync("secured", null, CancellationToken.None));
        }
    }
}
