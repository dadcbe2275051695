using MetaAnomaly.Detection.Events;

namespace MetaAnomaly.Cluster.Anomalies;

/// <summary>What an operator did to an event of the cluster, sent to the node that scores its series.</summary>
public enum EventActionKind
{
    Feedback,
    Acknowledge,
    Snooze,
}

/// <summary>
/// An operator's action on the event of <paramref name="SeriesKey"/> that started at <paramref name="Start"/> (how every
/// node names the same event): a verdict and comment, an acknowledgement, or a snooze until <paramref name="Until"/>.
/// </summary>
[GenerateSerializer, Immutable, Alias("MetaAnomaly.EventAction")]
public sealed record EventAction(
    [property: Id(0)] EventActionKind Kind,
    [property: Id(1)] string SeriesKey,
    [property: Id(2)] DateTimeOffset Start,
    [property: Id(3)] string? Author,
    [property: Id(4)] AnomalyFeedbackKind Verdict = AnomalyFeedbackKind.None,
    [property: Id(5)] string? Comment = null,
    [property: Id(6)] DateTimeOffset? Until = null);
