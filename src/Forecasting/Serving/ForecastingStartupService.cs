using MetaAnomaly.Forecasting.Engine;
using MetaAnomaly.Forecasting.ReadModel;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace MetaAnomaly.Forecasting.Serving;

/// <summary>
/// Brings the core up and keeps newcomers served: selects the device at start (an absent CUDA device fails the
/// start with a clear message), then every <c>Forecasting:CatchUpInterval</c> picks up series that were new or
/// warming up: period, cluster, a bounded meta-training for a new cluster, adaptation.
/// </summary>
public sealed class ForecastingStartupService(
    IForecastingRuns forecasting,
    ForecastingSetup setup,
    TimeProvider clock,
    ILogger<ForecastingStartupService> logger) : BackgroundService
{
    public override Task StartAsync(CancellationToken cancellationToken)
    {
        var retained = NativeHeap.RetainFreedMemory();
        logger.LogInformation("Forecasting runs on {Device} in chunks of {ChunkSize} series, {Workers} at once; freed tensor memory {Heap}",
            setup.Device, setup.ChunkSize, setup.AdaptationWorkers, retained ? "stays in the process heap" : "follows the allocator's defaults");
        return base.StartAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await Task.Delay(setup.Options.StartupDelay, clock, stoppingToken);
            while (!stoppingToken.IsCancellationRequested)
            {
                try
                {
                    await forecasting.CatchUpAsync(stoppingToken);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    logger.LogError(e, "Forecasting catch-up failed; retrying in {Interval}", setup.Options.CatchUpInterval);
                }
                await Task.Delay(setup.Options.CatchUpInterval, clock, stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }
}
