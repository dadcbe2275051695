using MetaAnomaly.Forecasting.Planning;
using MetaAnomaly.Forecasting.ReadModel;
using MetaAnomaly.Forecasting.Serving;
using MetaAnomaly.Forecasting.Training;
using MetaAnomaly.Shared.Forecasts;
using Microsoft.Extensions.Logging;
using MetaAnomaly.Shared.Telemetry;

namespace MetaAnomaly.Forecasting.Runs;

/// <summary>
/// Runs the stages one run at a time (catch-up, daily, on demand): the planner's clusters and targets, each target
/// cluster's initialisation from the trainer, its adaptation into a new serving snapshot; then the trained
/// initialisations are stored; then the series in cold start are served. A cluster that fails does not stop the others.
/// </summary>
internal sealed class ForecastingCoordinator(
    IClusterPlanner planner,
    IClusterTrainer trainer,
    IBatchedAdapter adapter,
    SeriesStates states,
    RunProgress progress,
    ILogger<ForecastingCoordinator> logger) : IForecastingRuns, IForecastingCommands, IDisposable
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private ClusterModel? _coldStartModel;

    public Task<AdaptationRunSummary> AdaptNowAsync(string? clusterId, CancellationToken cancellationToken) =>
        RunAsync(clusterId is null ? "on-demand" : $"on-demand {clusterId}", clusterId is null ? RunKind.Full : RunKind.Cluster, clusterId, null, cancellationToken);

    public async Task<MetaTrainingReport> RetrainAsync(string clusterId, string? learner, CancellationToken cancellationToken)
    {
        if (planner.Clusters.All(c => c.Id != clusterId))
        {
            throw new KeyNotFoundException($"No cluster '{clusterId}'.");
        }
        if (learner is not null && !trainer.Learners.Contains(learner, StringComparer.OrdinalIgnoreCase))
        {
            throw new ArgumentException($"No learner named '{learner}'. Registered: {string.Join(", ", trainer.Learners)}.", nameof(learner));
        }
        await RunAsync($"retrain {clusterId}", RunKind.Retrain, clusterId, learner, cancellationToken);
        return trainer.ModelOf(clusterId)?.Report is { } report
            ? report
            : throw new InvalidOperationException($"Cluster '{clusterId}' could not be meta-trained: {progress.LastRun?.Errors.FirstOrDefault()}");
    }

    public Task<AdaptationRunSummary> RunScheduledAsync(CancellationToken cancellationToken) =>
        RunAsync("schedule", RunKind.Full, null, null, cancellationToken);

    public Task<AdaptationRunSummary> CatchUpAsync(CancellationToken cancellationToken) =>
        RunAsync("catch-up", RunKind.CatchUp, null, null, cancellationToken);

    private async Task<AdaptationRunSummary> RunAsync(string trigger, RunKind kind, string? clusterId, string? learner, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            await trainer.LoadStoredAsync(cancellationToken);
            var started = progress.Now;
            var run = await Task.Run(() => RunStagesAsync(kind, clusterId, learner, cancellationToken), cancellationToken);
            await trainer.SaveTrainedAsync(run, cancellationToken);
            var summary = new AdaptationRunSummary(trigger, clusterId, started, progress.Now - started, run.SeriesAdapted, run.ClustersAdapted, run.Errors);
            if (run.SeriesAdapted > 0 || kind != RunKind.CatchUp || run.Errors.Count > 0)
            {
                progress.Record(summary);
                ProductMetrics.Adapted(trigger, summary.Duration, run.SeriesAdapted);
                logger.LogInformation("Forecasting run ({Trigger}) adapted {Series} series in {Clusters} clusters in {Seconds:F2} s with {Errors} errors",
                    trigger, run.SeriesAdapted, run.ClustersAdapted, summary.Duration.TotalSeconds, run.Errors.Count);
            }
            return summary;
        }
        finally
        {
            progress.Idle();
            _gate.Release();
        }
    }

    private async Task<RunOutcome> RunStagesAsync(RunKind kind, string? clusterId, string? learner, CancellationToken cancellationToken)
    {
        var run = new RunOutcome();
        var plan = planner.Plan(kind, clusterId, cancellationToken);
        foreach (var target in plan.Targets)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var cluster = target.Cluster;
            try
            {
                plan.Histories.ReadMissing(cluster.Members);
                var periodGroup = plan.Clusters.Where(c => c.Period == cluster.Period).ToArray();
                var model = await trainer.PrepareAsync(cluster, periodGroup, plan.Histories, retrain: kind == RunKind.Retrain, learner, refreshIfDue: kind == RunKind.Full, run,
                    cancellationToken);
                if (model is null)
                {
                    continue;
                }
                // A retrained model gets a fresh start: the previous models it replaces do not speak for it.
                run.SeriesAdapted += adapter.Adapt(target, model, judgePrevious: kind != RunKind.Retrain, plan.Histories, cancellationToken);
                run.ClustersAdapted++;
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                run.Errors.Add($"{cluster.Id}: {e.Message}");
                logger.LogError(e, "Forecasting run failed for cluster {Cluster}", cluster.Id);
                foreach (var key in target.Keys.Where(states.NeedsAdaptation).Where(states.Contains))
                {
                    states.Update(key, entry => entry!.Unserved(SeriesModelStatus.Failed, $"adaptation failed: {e.Message}"));
                }
            }
        }
        ServeColdStart(kind, plan, run, cancellationToken);
        if (kind == RunKind.Full)
        {
            adapter.RetireVanished(plan.Clusters);
        }
        foreach (var old in run.Retired)
        {
            old.Dispose();
        }
        return run;
    }

    /// <summary>
    /// Serves the series in cold start from the trainer's cold-start model: the ones not served yet, or all of them on
    /// a full run and whenever that model changed (a shared aperiodic model appeared or was retrained: the series
    /// leave the model that is about to be retired). A failure marks them and stops nothing else.
    /// </summary>
    private void ServeColdStart(RunKind kind, RunPlan plan, RunOutcome run, CancellationToken cancellationToken)
    {
        if (plan.ColdStart.Count == 0)
        {
            return;
        }
        var source = trainer.ColdStartModel(plan.Clusters);
        var replace = kind == RunKind.Full || !ReferenceEquals(source.Model, _coldStartModel);
        var keys = replace ? plan.ColdStart : plan.ColdStart.Where(k => !states.TryGet(k, out var e) || !e.ServedInColdStart).ToArray();
        if (keys.Count == 0)
        {
            return;
        }
        cancellationToken.ThrowIfCancellationRequested();
        try
        {
            plan.Histories.ReadMissing(keys);
            run.SeriesAdapted += adapter.Adapt(AdaptationTarget.ForColdStart(keys, replace, source.Description), source.Model, judgePrevious: kind == RunKind.Full,
                plan.Histories, cancellationToken);
            _coldStartModel = source.Model;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            run.Errors.Add($"{AdaptationTarget.ColdStartId}: {e.Message}");
            logger.LogError(e, "Forecasting run failed for the series in cold start");
            foreach (var key in keys.Where(states.Contains))
            {
                states.Update(key, entry => entry!.Unserved(SeriesModelStatus.Failed, $"cold-start adaptation failed: {e.Message}"));
            }
        }
    }

    public void Dispose() => _gate.Dispose();
}
