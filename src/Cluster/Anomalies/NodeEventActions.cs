using MetaAnomaly.Detection.Feedback;
using MetaAnomaly.Detection.Storage;

namespace MetaAnomaly.Cluster.Anomalies;

/// <summary>
/// On the node that scores a series, applies an operator's action on one of its events to the node's own event of
/// the same series and start, through the node's <see cref="FeedbackService"/>: so a verdict reaches this node's
/// adaptation mask and its cluster's thresholds, and an acknowledgement or snooze its webhook outbox.
/// </summary>
internal sealed class NodeEventActions(IAnomalyStore store, FeedbackService feedback, TimeProvider clock)
{
    /// <summary>False when this node has no such event (it was scored by a node since lost, before its shard moved here).</summary>
    public async Task<bool> ApplyAsync(EventAction action, CancellationToken cancellationToken)
    {
        var own = await store.FindAsync(action.SeriesKey, action.Start, cancellationToken);
        if (own is null)
        {
            return false;
        }
        var now = clock.GetUtcNow();
        var applied = action.Kind switch
        {
            EventActionKind.Feedback => await feedback.SubmitAsync(own.Id, action.Verdict, action.Comment, action.Author, cancellationToken),
            EventActionKind.Acknowledge => await feedback.AcknowledgeAsync(own.Id, action.Author, cancellationToken),
            _ => await feedback.SnoozeAsync(own.Id, (action.Until ?? now) - now, now, cancellationToken),
        };
        return applied is not null;
    }
}
