using MetaAnomaly.Detection.Feedback;
using MetaAnomaly.Detection.Scoring;
using MetaAnomaly.Detection.Storage;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace MetaAnomaly.Detection.Services;

/// <summary>Runs a <see cref="IScoringCycle"/> every <see cref="DetectionOptions.TickInterval"/>, after loading the tuned thresholds and the mask.</summary>
internal sealed partial class ScoringService(
    IScoringCycle cycle,
    FeedbackThresholds thresholds,
    AnomalyAdaptationMask mask,
    IAnomalyStore store,
    IOptions<DetectionOptions> options,
    TimeProvider time,
    ILogger<ScoringService> logger) : BackgroundService
{
    private static readonly TimeSpan PruneEvery = TimeSpan.FromHours(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await thresholds.LoadAsync(stoppingToken);
            await LoadMaskAsync(stoppingToken);
            var lastPrune = DateTimeOffset.MinValue;
            while (!stoppingToken.IsCancellationRequested)
            {
                try
                {
                    var scored = await cycle.RunOnceAsync(stoppingToken);
                    if (scored > 0 && logger.IsEnabled(LogLevel.Debug))
                    {
                        LogScored(scored);
                    }
                    if (time.GetUtcNow() - lastPrune > PruneEvery)
                    {
                        lastPrune = time.GetUtcNow();
                        await store.PruneScoresAsync(lastPrune - options.Value.ScoreRetention, stoppingToken);
                    }
                }
                catch (Exception exception) when (exception is not OperationCanceledException)
                {
                    LogTickFailed(exception);
                }
                await Task.Delay(options.Value.TickInterval, time, stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private async Task LoadMaskAsync(CancellationToken cancellationToken)
    {
        for (var page = 1; ; page++)
        {
            var events = await store.ListAsync(new AnomalyQuery(Page: page, PageSize: AnomalyQuery.Defaults.MaxPageSize), cancellationToken);
            foreach (var anomaly in events.Items)
            {
                mask.Track(anomaly);
            }
            if (page * events.PageSize >= events.Total)
            {
                return;
            }
        }
    }

    [LoggerMessage(LogLevel.Debug, "Scored {Points} points")]
    private partial void LogScored(int points);

    [LoggerMessage(LogLevel.Error, "Scoring tick failed; retrying next tick")]
    private partial void LogTickFailed(Exception exception);
}
