using MetaAnomaly.Forecasting.ReadModel;
using Microsoft.Extensions.Logging;
using Quartz;

namespace MetaAnomaly.Forecasting.Serving;

/// <summary>
/// The daily adaptation (cron <c>Forecasting:AdaptationCron</c>): periods re-detected, clusters refreshed with stable
/// ids, every series adapted from its cluster's initialisation on its latest K points.
/// </summary>
[DisallowConcurrentExecution]
public sealed class AdaptationJob(IForecastingRuns forecasting, ILogger<AdaptationJob> logger) : IJob
{
    public static readonly JobKey Key = new("forecasting-adaptation", "forecasting");

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken = default)
    {
        logger.LogInformation("Daily adaptation triggered by {Trigger}", context.Trigger.Key);
        context.Result = await forecasting.RunScheduledAsync(cancellationToken);
    }
}
