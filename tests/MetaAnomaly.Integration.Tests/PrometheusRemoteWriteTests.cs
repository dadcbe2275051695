using MetaAnomaly.Dashboard.Security;
using MetaAnomaly.Shared.Series;
using MetaAnomaly.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace MetaAnomaly.Integration.Tests;

/// <summary>
/// A real Prometheus (Debian's package) scrapes itself on loopback and remote-writes to the whole product with a
/// writer key as its bearer token: its series arrive in the buffers keyed by metric name and labels.
/// </summary>
public sealed class PrometheusRemoteWriteTests
{
    private static readonly TimeSpan ArrivalBudget = TimeSpan.FromSeconds(90);

    [SkippableFact]
    public async Task SelfScrapedSeriesOfARealPrometheusArriveWithTheirLabels()
    {
        Skip.If(TestEnvironment.PrometheusPath is null,
            "prometheus is not installed (Debian: apt-get install prometheus; test.sh does it as root) and METAANOMALY_TEST_PROMETHEUS is not set");
        await using var product = new QuietProduct();
        product.StartServer();
        var writer = await product.CreateKeyAsync(DashboardRoles.Writer);

        await using var prometheus = await PrometheusServer.StartAsync(TestEnvironment.PrometheusPath!,
            product.Url("/api/v1/prom/write"), writer, new Dictionary<string, string> { ["origin"] = "integration" });

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
}
