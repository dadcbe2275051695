using System.Text;
using MetaAnomaly.Ingest.Pull;
using MetaAnomaly.Shared.Series;
using MetaAnomaly.Testing;
using Microsoft.Extensions.DependencyInjection;
using static MetaAnomaly.Ingest.Tests.Influx.InfluxTestSupport;

namespace MetaAnomaly.Ingest.Tests.Pull;

/// <summary>Hosts that write behind the others of their measurement, against the real influxd.</summary>
public sealed class LateHostTests : IDisposable
{
    private static readonly long Origin = DateTimeOffset.UtcNow.AddMinutes(-40).ToUnixTimeSeconds() / 60 * 60;
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task AHostFiveMinutesBehindAndANewHostStartingBehindLoseNoPoint()
    {
        var database = NewDatabase("late");
        using var host = IngestHost.Build(_temp.Path, Settings(TestEnvironment.InfluxDbUrl, database));
        await host.StartAsync();
        var client = Client(host);
        await client.ExecuteAsync(null, $"CREATE DATABASE {database}", CancellationToken.None);
        var pull = ActivatorUtilities.CreateInstance<InfluxPullSource>(host.Services);
        var buffers = host.Services.GetRequiredService<ISeriesBuffers>();

        await client.WriteAsync(database, null, Bytes(Lines("a", 0, 21) + Lines("b", 0, 15)), "s", CancellationToken.None);
        await pull.PollOnceAsync(CancellationToken.None);
        await client.WriteAsync(database, null, Bytes(Lines("a", 21, 1) + Lines("b", 15, 5) + Lines("c", 5, 6)), "s", CancellationToken.None);
        await pull.PollOnceAsync(CancellationToken.None);

        Assert.Equal(22, Count(buffers, "a"));
        Assert.Equal(20, Count(buffers, "b"));
        Assert.Equal(6, Count(buffers, "c"));
    }

    [Fact]
    public async Task ReReadingTheSamePointsLandsThemInTheSameSlots()
    {
        var database = NewDatabase("reread");
        var settings = Settings(TestEnvironment.InfluxDbUrl, database);
        settings["Ingest:Pull:GraceWindow"] = "01:00:00";
        using var host = IngestHost.Build(_temp.Path, settings);
        await host.StartAsync();
        var client = Client(host);
        await client.ExecuteAsync(null, $"CREATE DATABASE {database}", CancellationToken.None);
        await client.WriteAsync(database, null, Bytes(Lines("a", 0, 30)), "s", CancellationToken.None);
        var pull = ActivatorUtilities.CreateInstance<InfluxPullSource>(host.Services);
        var buffers = host.Services.GetRequiredService<ISeriesBuffers>();

        await pull.PollOnceAsync(CancellationToken.None);
        var first = buffers.Latest(Key("a"), 100)!;
        await pull.PollOnceAsync(CancellationToken.None);
        var second = buffers.Latest(Key("a"), 100)!;

        Assert.Equal(30, Count(buffers, "a"));
        Assert.Equal(first.Start, second.Start);
        Assert.Equal(first.Values, second.Values);
    }

    private static SeriesKey Key(string host) => new("cpu", [new("host", host)], "usage");

    private static long Count(ISeriesBuffers buffers, string host) => buffers.Describe(Key(host))?.PointCount ?? 0;

    /// <summary><paramref name="count"/> points of one host, a minute apart from minute <paramref name="first"/> after the origin.</summary>
    private static string Lines(string host, int first, int count) =>
        string.Concat(Enumerable.Range(first, count).Select(i => $"cpu,host={host} usage={i} {Origin + i * 60}\n"));

    private static byte[] Bytes(string lines) => Encoding.UTF8.GetBytes(lines);
}
