using Quartz;

namespace MetaAnomaly.Dashboard.Jobs;

/// <summary>A scheduled job as the Jobs page shows it.</summary>
public sealed record JobSummary(
    string Group,
    string Name,
    string? Description,
    IReadOnlyList<string> Schedules,
    DateTimeOffset? NextFireTime,
    DateTimeOffset? PreviousFireTime,
    bool Running,
    JobRun? LastRun);

/// <summary>Reads the Quartz scheduler's jobs and triggers, joins their recorded runs, and fires a job on request.</summary>
public sealed class JobCatalog(ISchedulerFactory schedulers, IJobRunHistory runs)
{
    public async ValueTask<IReadOnlyList<JobSummary>> ListAsync(CancellationToken cancellationToken)
    {
        var scheduler = await schedulers.GetScheduler(cancellationToken);
        var headers = await scheduler.QueryJobs(new JobQuery { Take = PagedQuery.All }, cancellationToken);
        var triggerHeaders = await scheduler.QueryTriggers(new TriggerQuery { Take = PagedQuery.All }, cancellationToken);
        var triggers = await scheduler.GetTriggers(triggerHeaders.Items.Select(t => t.Key).ToArray(), cancellationToken);
        var running = (await scheduler.QueryFireInstances(new FireInstanceQuery { Take = PagedQuery.All }, cancellationToken)).Items
            .Where(f => f.State == FireInstanceState.Executing && f.JobKey is not null)
            .Select(f => f.JobKey!)
            .ToHashSet();
        var recent = await runs.RecentAsync(null, null, 500, cancellationToken);
        return headers.Items.Select(job =>
        {
            var ofJob = triggers.Where(t => t.JobKey.Equals(job.Key)).ToArray();
            return new JobSummary(
                job.Key.Group,
                job.Key.Name,
                job.Description,
                ofJob.Select(JobTriggers.Schedule).OfType<string>().ToArray(),
                ofJob.Select(t => t.NextFireTimeUtc).Where(t => t is not null).Min(),
                ofJob.Select(t => t.PreviousFireTimeUtc).Where(t => t is not null).Max(),
                running.Contains(job.Key),
                recent.FirstOrDefault(r => r.Group == job.Key.Group && r.Name == job.Key.Name));
        }).ToArray();
    }

    /// <summary>Fires the job now, noting who asked; false when no such job is scheduled.</summary>
    public async ValueTask<bool> RunNowAsync(string group, string name, string? requestedBy, CancellationToken cancellationToken)
    {
        var scheduler = await schedulers.GetScheduler(cancellationToken);
        var key = new JobKey(name, group);
        if (!await scheduler.Exists(key, cancellationToken))
        {
            return false;
        }
        await scheduler.TriggerJob(key, new JobDataMap { [JobTriggers.RequestedBy] = requestedBy ?? "someone" }, cancellationToken);
        return true;
    }
}
