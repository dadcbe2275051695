using MetaAnomaly.Forecasting.ReadModel;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace MetaAnomaly.Cluster.Forecasting;

/// <summary>
/// This node's own forecasting runs (the series its shards hold): its catch-up, and its share of the cluster's daily
/// run, started once per firing of the daily job however many of its shards ask for it.
/// </summary>
internal sealed partial class NodeAdaptation(IForecastingRuns local, TimeProvider clock, IHostApplicationLifetime lifetime, ILogger<NodeAdaptation> logger) : IDisposable
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private (DateTimeOffset Started, AdaptationRunSummary Summary)? _last;

    public Task<AdaptationRunSummary> CatchUpAsync(CancellationToken cancellationToken) => local.CatchUpAsync(cancellationToken);

    /// <summary>The node's daily run, unless one started at or after <paramref name="firedAt"/> (then that run's summary).</summary>
    public async Task<AdaptationRunSummary> RunSinceAsync(DateTimeOffset firedAt, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            if (_last is { } last && last.Started >= firedAt)
            {
                return last.Summary;
            }
            var started = clock.GetUtcNow();
            var summary = await local.RunScheduledAsync(cancellationToken);
            _last = (started, summary);
            return summary;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Starts <see cref="RunSinceAsync"/> without waiting for it: a run may last longer than a grain call may.</summary>
    public void Request(DateTimeOffset firedAt) => _ = Task.Run(async () =>
    {
        try
        {
            await RunSinceAsync(firedAt, lifetime.ApplicationStopping);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            LogRunFailed(e);
        }
    });

    public void Dispose() => _gate.Dispose();

    [LoggerMessage(Level = LogLevel.Error, Message = "This node's share of the cluster's daily adaptation failed")]
    private partial void LogRunFailed(Exception exception);
}
