using MetaAnomaly.Ingest.Pull;
using MetaAnomaly.Ingest.Storage;
using MetaAnomaly.Shared.Series;
using MetaAnomaly.Testing;
using Microsoft.Extensions.DependencyInjection;
using static MetaAnomaly.Ingest.Tests.Influx.InfluxTestSupport;

namespace MetaAnomaly.Ingest.Tests.Pull;

/// <summary>A kill-style restart of the pull path: a <see cref="CrashImage"/> taken once the pull moved its watermarks.</summary>
public sealed class PullKillRestartTests : IDisposable
{
    private static readonly SeriesKey UsageA = new("cpu", [new("host", "a")], "usage");
    private readonly TempDirectory _running = new();
    private readonly TempDirectory _restarted = new();

    public void Dispose()
    {
        _running.Dispose();
        _restarted.Dispose();
    }

    [Fact]
    public async Task PointsAWatermarkCoversSurviveAKillBeforeAnySnapshot()
    {
        var database = NewDatabase("pullkill");
        var settings = Settings(TestEnvironment.InfluxDbUrl, database);
        using (var host = IngestHost.Build(_running.Path, settings))
        {
            await host.StartAsync();
            var client = Client(host);
            await client.ExecuteAsync(null, $"CREATE DATABASE {database}", CancellationToken.None);
            await client.WriteAsync(database, null, CpuLines(500), "s", CancellationToken.None);
            var pull = ActivatorUtilities.CreateInstance<InfluxPullSource>(host.Services);
            await pull.PollOnceAsync(CancellationToken.None);
            Assert.NotEmpty(await host.Services.GetRequiredService<WatermarkStore>().GetAllAsync(pull.WatermarkSource, CancellationToken.None));
            CrashImage.Copy(_running.Path, _restarted.Path);
        }

        using var restarted = IngestHost.Build(_restarted.Path, settings);
        await restarted.StartAsync();

        Assert.Equal(500, restarted.Services.GetRequiredService<ISeriesBuffers>().Describe(UsageA)!.PointCount);
    }
}
