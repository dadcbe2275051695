using MetaAnomaly.Ingest.Status;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace MetaAnomaly.Ingest.Tests;

public sealed class IngestOptionsTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task InvalidSettingsFailAtStartNamingTheirKeys()
    {
        using var host = IngestHost.Build(_temp.Path, new Dictionary<string, string?>
        {
            ["Ingest:Buffers:Capacity"] = "2",
            ["Ingest:Influx:Url"] = "not a url",
            ["Ingest:Pull:Measurements"] = "([unclosed",
            ["Ingest:WriteBack:Measurement"] = " ",
        });

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());
        Assert.Contains("Ingest:Buffers:Capacity", error.Message);
        Assert.Contains("Ingest:Influx:Url", error.Message);
        Assert.Contains("Ingest:Pull:Measurements", error.Message);
        Assert.Contains("Ingest:WriteBack:Measurement", error.Message);
    }

    [Fact]
    public async Task AnEmptyConfigurationRunsTheDemoOnTheEmbeddedStore()
    {
        using var host = IngestHost.Build(_temp.Path, new Dictionary<string, string?>());
        await host.StartAsync();
        var status = host.Services.GetRequiredService<IIngestStatus>();
        await IngestHost.WaitUntilAsync(() => status.Current().Series == 7, TimeSpan.FromSeconds(20), "the demo series");
        await host.StopAsync();

        var health = status.Current();
        Assert.Equal(["demo"], health.Sources);
        Assert.Equal(InfluxConnectionState.NotConfigured, health.Influx);
        Assert.True(health.PointsAccepted > 10_000);
        Assert.True(File.Exists(Path.Combine(_temp.Path, "data", "metaanomaly.db")));
        var check = await host.Services.GetRequiredService<HealthCheckService>().CheckHealthAsync();
        Assert.Equal(HealthStatus.Healthy, check.Entries["ingest"].Status);
    }

    [Fact]
    public async Task AnUnreachableInfluxMakesIngestionDegradedNotDown()
    {
        using var host = IngestHost.Build(_temp.Path, new Dictionary<string, string?>
        {
            ["Ingest:Influx:Url"] = $"http://127.0.0.1:{MetaAnomaly.Testing.FreePort.Next()}",
            ["Ingest:Influx:MaxRetries"] = "1",
            ["Ingest:Influx:Timeout"] = "00:00:01",
        });
        await host.StartAsync();
        var status = host.Services.GetRequiredService<IIngestStatus>();
        await IngestHost.WaitUntilAsync(() => status.Current().Influx == InfluxConnectionState.Unreachable, TimeSpan.FromSeconds(20), "the failed poll");
        var check = await host.Services.GetRequiredService<HealthCheckService>().CheckHealthAsync();
        await host.StopAsync();

        Assert.Equal(HealthStatus.Degraded, check.Entries["ingest"].Status);
        Assert.Contains("Ingest:Influx:Url", status.Current().LastError);
    }
}
