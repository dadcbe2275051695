using MetaAnomaly.Shared.Storage;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace MetaAnomaly.Dashboard.Health;

/// <summary>Unhealthy when the state database cannot be opened (disk full, file locked, migration failed).</summary>
internal sealed class StateDatabaseHealthCheck(IStateDatabase database) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            await using var connection = await database.OpenAsync(cancellationToken);
            return HealthCheckResult.Healthy();
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            return HealthCheckResult.Unhealthy("The state database cannot be opened: " + exception.Message);
        }
    }
}
