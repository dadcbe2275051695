namespace MetaAnomaly.Dashboard.Jobs;

/// <summary>One finished firing of a Quartz job, as the Jobs page and <c>/api/jobs</c> show it.</summary>
public sealed record JobRun(
    string Group,
    string Name,
    string? Trigger,
    DateTimeOffset StartedAt,
    TimeSpan Duration,
    bool Succeeded,
    string? Result,
    string? Error);
