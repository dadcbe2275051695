using System.Text.Json.Serialization;

namespace MetaAnomaly.Dashboard.Jobs;

/// <summary>One finished firing of a Quartz job, as the Jobs page and <c>/api/jobs</c> show it.</summary>
/// <param name="Node">The cluster node it ran on; null on a single node.</param>
public sealed record JobRun(
    string Group,
    string Name,
    string? Trigger,
    DateTimeOffset StartedAt,
    TimeSpan Duration,
    bool Succeeded,
    string? Result,
    string? Error,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Node = null);
