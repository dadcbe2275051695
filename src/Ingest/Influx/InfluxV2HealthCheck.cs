using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace MetaAnomaly.Ingest.Influx;

/// <summary><c>/health</c> entry of an <c>Ingest:Influx:Version=2</c> setup: InfluxDB.Client's ping; degraded (still 200) while it fails.</summary>
internal sealed class InfluxV2HealthCheck(InfluxV2Connection connection) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        await connection.Client.PingAsync()
            ? HealthCheckResult.Healthy("InfluxDB answers /ping")
            : HealthCheckResult.Degraded("InfluxDB does not answer /ping: check Ingest:Influx:Url");
}
