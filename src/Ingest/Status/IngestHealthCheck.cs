using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace MetaAnomaly.Ingest.Status;

/// <summary>
/// <c>/health</c> entry for ingestion: degraded (still 200) while the configured InfluxDB is unreachable, refuses the
/// credentials or fails queries; healthy otherwise. The data reported is that of <see cref="IIngestStatus"/>.
/// </summary>
internal sealed class IngestHealthCheck(IIngestStatus status) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var health = status.Current();
        var data = new Dictionary<string, object>
        {
            ["sources"] = string.Join(",", health.Sources),
            ["series"] = health.Series,
            ["pointsPerSecond"] = Math.Round(health.PointsPerSecond, 1),
            ["influx"] = health.Influx.ToString(),
        };
        var result = health.Influx is InfluxConnectionState.Unreachable or InfluxConnectionState.Unauthorized or InfluxConnectionState.Failing
            ? HealthCheckResult.Degraded($"InfluxDB: {health.Influx}: {health.LastError}", data: data)
            : HealthCheckResult.Healthy($"{health.Series} series", data);
        return Task.FromResult(result);
    }
}
