using MetaAnomaly.Ingest.Status;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace MetaAnomaly.Dashboard.Health;

/// <summary>Degraded while the configured InfluxDB is unreachable, refuses the credentials or fails queries.</summary>
internal sealed class IngestHealthCheck(IIngestStatus status) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var health = status.Current();
        return Task.FromResult(health.Influx is InfluxConnectionState.Unreachable or InfluxConnectionState.Unauthorized or InfluxConnectionState.Failing
            ? HealthCheckResult.Degraded($"InfluxDB is {health.Influx}: {health.LastError}")
            : HealthCheckResult.Healthy($"{health.Series} series, {health.PointsPerSecond:0.#} points/s"));
    }
}
