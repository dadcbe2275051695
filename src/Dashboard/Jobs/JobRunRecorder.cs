using System.Globalization;
using Quartz;
using Quartz.Extensibility;

namespace MetaAnomaly.Dashboard.Jobs;

/// <summary>Records every finished job firing (duration, result, error) in the <see cref="JobRunStore"/>.</summary>
internal sealed partial class JobRunRecorder(JobRunStore store, ILogger<JobRunRecorder> logger) : IJobListener
{
    public string Name => "dashboard-job-runs";

    public ValueTask JobToBeExecuted(IJobExecutionContext context, CancellationToken cancellationToken = default) => ValueTask.CompletedTask;

    public ValueTask JobExecutionVetoed(IJobExecutionContext context, CancellationToken cancellationToken = default) => ValueTask.CompletedTask;

    public ValueTask JobProgressChanged(IJobExecutionContext context, FireInstanceProgress progress, CancellationToken cancellationToken = default) => ValueTask.CompletedTask;

    public async ValueTask JobWasExecuted(IJobExecutionContext context, JobExecutionException? jobException, CancellationToken cancellationToken = default)
    {
        var key = context.JobDetail.Key;
        var run = new JobRun(
            key.Group, key.Name, context.Trigger.Key.Name, context.FireTimeUtc, context.JobRunTime, jobException is null,
            context.Result is null ? null : Convert.ToString(context.Result, CultureInfo.InvariantCulture),
            jobException?.GetBaseException().Message);
        try
        {
            await store.RecordAsync(run, CancellationToken.None);
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            LogRecordFailed(logger, exception, key.ToString());
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not record the run of job {JobKey}")]
    private static partial void LogRecordFailed(ILogger logger, Exception exception, string jobKey);
}
