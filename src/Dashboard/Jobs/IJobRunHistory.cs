namespace MetaAnomaly.Dashboard.Jobs;

/// <summary>
/// The job runs the Jobs page and <c>/api/jobs</c> list: a single node's own (<see cref="JobRunStore"/>), or in a
/// cluster every node's (<see cref="ClusterJobRunStore"/>).
/// </summary>
public interface IJobRunHistory
{
    /// <summary>Notes that a firing started; <see cref="RecordAsync"/> with the same <paramref name="fireId"/> completes it.</summary>
    ValueTask StartedAsync(string fireId, string group, string name, string? trigger, DateTimeOffset startedAt, CancellationToken cancellationToken);

    /// <summary>A finished firing: completes the row <see cref="StartedAsync"/> wrote for <paramref name="fireId"/>, or adds one.</summary>
    ValueTask RecordAsync(JobRun run, string fireId, CancellationToken cancellationToken);

    /// <summary>
    /// The latest finished (or interrupted) runs, newest first; of one job when <paramref name="group"/> and
    /// <paramref name="name"/> are given. A run still in progress is not listed (the Jobs page shows it as running).
    /// </summary>
    ValueTask<IReadOnlyList<JobRun>> RecentAsync(string? group, string? name, int count, CancellationToken cancellationToken);
}
