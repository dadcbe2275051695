using MetaAnomaly.Forecasting.Engine;
using MetaAnomaly.Forecasting.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace MetaAnomaly.Forecasting.Serving;

/// <summary>
/// Brings the core up and keeps newcomers served: selects the device at start (an absent CUDA device fails the
/// start with a clear message), then every <c>Forecasting:CatchUpInterval</c> picks up series that were new or
/// warming up: period, cluster, a bounded meta-training for a new cluster, adaptation.
/// </summary>
public sealed class ForecastingStartupService(
    ForecastingService forecasting,
    IOptions<ForecastingOptions> options,
    TimeProvider clock,
    ILogger<ForecastingStartupService> logger) : BackgroundService
{
    public override Task StartAsync(CancellationToken cancellationToken)
    {
        var retained = NativeHeap.RetainFreedMemory();
        logger.LogInformation("Forecasting runs on {Device} in chunks of {ChunkSize} series, {Workers} at once; freed tensor memory {Heap}",
            forecasting.Device, forecasting.ChunkSize, forecasting.AdaptationWorkers, retained ? "stays in the process heap" : "follows the allocator's defaults");
        return base.StartAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await Task.Delay(options.Value.StartupDelay, clock, stoppingToken);
            while (!stoppingToken.IsCancellationRequested)
            {
                try
                {
                    await forecasting.CatchUpAsync(stoppingToken);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    logger.LogError(e, "Forecasting catch-up failed; retrying in {Interval}", options.Value.CatchUpInterval);
                }
                await Task.Delay(options.Value.CatchUpInterval, clock, stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }
}
