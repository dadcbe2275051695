using MetaAnomaly.Dashboard.Security;
using MetaAnomaly.Shared.Series;
using MetaAnomaly.Testing;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace MetaAnomaly.Integration.Tests;

/// <summary>
/// A real Prometheus (Debian's package) scrapes itself on loopback and remote-writes to the whole product with a
/// writer key as its bearer token: its series arrive in the buffers keyed by metric name and labels.
/// </summary>
public sealed class PrometheusRemoteWriteTests : IAsyncDisposable
{
    private static readonly TimeSpan ArrivalBudget = TimeSpan.FromSeconds(90);

    private readonly string _stateDirectory = Directory.CreateTempSubdirectory("metaanomaly-prometheus-product-").FullName;

    [SkippableFact]
    public async Task SelfScrapedSeriesOfARealPrometheusArriveWithTheirLabels()
    {
        Skip.If(TestEnvironment.PrometheusPath is null,
            "prometheus is not installed (Debian: apt-get install prometheus; test.sh does it as root) and METAANOMALY_TEST_PROMETHEUS is not set");
        var port = FreePort.Next();
        await using var product = new WebApplicationFactory<Program>().WithWebHostBuilder(builder =>
        {
            builder.UseSetting("Urls", $"http://127.0.0.1:{port}");
            builder.UseSetting("Ingest:Demo:Enabled", "false");
            builder.UseSetting("Ingest:StatePath", Path.Combine(_stateDirectory, "state.db"));
            builder.UseSetting("Dashboard:AdminPassword", "integration-admin");
            builder.UseSetting("Dashboard:KeysPath", Path.Combine(_stateDirectory, "keys"));
            builder.UseSetting("Forecasting:ModelDirectory", Path.Combine(_stateDirectory, "models"));
            builder.UseSetting("Forecasting:Device", "cpu");
        });
        product.UseKestrel(port);
        product.StartServer();
        var writer = await product.Services.GetRequiredService<IAccountStore>().CreateApiKeyAsync("prometheus", DashboardRoles.Writer, CancellationToken.None);

        await using var prometheus = await PrometheusServer.StartAsync(TestEnvironment.PrometheusPath!,
            new Uri($"http://127.0.0.1:{port}/api/v1/prom/write"), writer.Text, new Dictionary<string, string> { ["origin"] = "integration" });

        var up = new SeriesKey("up", [new("instance", prometheus.Url.Authority), new("job", "prometheus"), new("origin", "integration")], "value");
        var buffers = product.Services.GetRequiredService<ISeriesBuffers>();
        var deadline = DateTime.UtcNow + ArrivalBudget;
        while ((buffers.Describe(up)?.PointCount ?? 0) < 10 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(500));
        }

        Assert.True(buffers.Describe(up)?.PointCount >= 10,
            $"{up} did not arrive 10 times within {ArrivalBudget.TotalSeconds} s; {buffers.ListSeries().Count} series arrived. Prometheus said:\n{prometheus.Log}");
        Assert.All(buffers.Latest(up, 3)!.Values.Where(double.IsFinite), value => Assert.Equal(1.0, value));
        var prometheusSeries = buffers.ListSeries().Where(s => s.Key.Measurement.StartsWith("prometheus_", StringComparison.Ordinal)).ToList();
        Assert.True(prometheusSeries.Count > 50, $"only {prometheusSeries.Count} prometheus_* series arrived");
        Assert.All(prometheusSeries, s => Assert.Equal("integration", s.Key.Tag("origin")));
    }

    public ValueTask DisposeAsync()
    {
        try
        {
            Directory.Delete(_stateDirectory, recursive: true);
        }
        catch (IOException)
        {
        }
        return ValueTask.CompletedTask;
    }
}
