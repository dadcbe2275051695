using System.Globalization;
using MetaAnomaly.Forecasting.ReadModel;
using Quartz;
using Quartz.Extensibility;

namespace MetaAnomaly.Dashboard.Jobs;

/// <summary>
/// Records every job firing in the <see cref="IJobRunHistory"/>: when it starts (so that a run the process does not live
/// to finish stays in the history), and when it ends (what fired it, duration, result, error).
/// </summary>
internal sealed partial class JobRunRecorder(IJobRunHistory store, ILogger<JobRunRecorder> logger) : IJobListener
{
    public string Name => "dashboard-job-runs";

    public async ValueTask JobToBeExecuted(IJobExecutionContext context, CancellationToken cancellationToken = default)
    {
        var key = context.JobDetail.Key;
        try
        {
            await store.StartedAsync(context.FireInstanceId, key.Group, key.Name, JobTriggers.FiredBy(context), context.FireTimeUtc, CancellationToken.None);
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            LogRecordFailed(logger, exception, key.ToString());
        }
    }

    public ValueTask JobExecutionVetoed(IJobExecutionContext context, CancellationToken cancellationToken = default) => ValueTask.CompletedTask;

    public ValueTask JobProgressChanged(IJobExecutionContext context, FireInstanceProgress progress, CancellationToken cancellationToken = default) => ValueTask.CompletedTask;

    public async ValueTask JobWasExecuted(IJobExecutionContext context, JobExecutionException? jobException, CancellationToken cancellationToken = default)
    {
        var key = context.JobDetail.Key;
        var run = new JobRun(
            key.Group, key.Name, JobTriggers.FiredBy(context), context.FireTimeUtc, context.JobRunTime, jobException is null,
            Describe(context.Result), jobException?.GetBaseException().Message);
        try
        {
            await store.RecordAsync(run, context.FireInstanceId, CancellationToken.None);
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            LogRecordFailed(logger, exception, key.ToString());
        }
    }

    /// <summary>What the job put in its result, in words.</summary>
    private static string? Describe(object? result) => result switch
    {
        null => null,
        AdaptationRunSummary run => string.Create(CultureInfo.InvariantCulture,
            $"{run.SeriesAdapted} series in {run.ClustersAdapted} clusters adapted{(run.Errors.Count > 0 ? $", {run.Errors.Count} errors (first: {run.Errors[0]})" : "")}"),
        _ => Convert.ToString(result, CultureInfo.InvariantCulture),
    };

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not record the run of job {JobKey}")]
    private static partial void LogRecordFailed(ILogger logger, Exception exception, string jobKey);
}
