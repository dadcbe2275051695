using MetaAnomaly.Detection.Events;
using MetaAnomaly.Detection.Webhooks;

namespace MetaAnomaly.Detection.Sinks;

/// <summary>Queues the webhook notifications of opened, escalated and resolved events (the dispatcher delivers them).</summary>
internal sealed class WebhookOutboxSink(WebhookOutbox outbox) : IDetectionSink
{
    public async Task HandleAsync(ScoringTick tick, CancellationToken cancellationToken)
    {
        foreach (var change in tick.Changes)
        {
            if (change.Kind == EventChangeKind.Opened)
            {
                await outbox.EnqueueAsync(change.Event, cancellationToken);
            }
            if (change.Kind == EventChangeKind.Escalated)
            {
                await outbox.EnqueueEscalationAsync(change.Event, cancellationToken);
            }
            if (change.Kind == EventChangeKind.Closed)
            {
                await outbox.EnqueueResolutionAsync(change.Event, cancellationToken);
            }
        }
    }
}
