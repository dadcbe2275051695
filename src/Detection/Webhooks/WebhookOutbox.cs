using MetaAnomaly.Detection.Events;
using Microsoft.Extensions.Options;

namespace MetaAnomaly.Detection.Webhooks;

/// <summary>Queues an event's notifications for every endpoint that wants them (the dispatcher delivers).</summary>
internal sealed class WebhookOutbox(WebhookStore store, IOptions<DetectionOptions> options, TimeProvider time)
{
    /// <summary>The event opened.</summary>
    public Task<int> EnqueueAsync(AnomalyEvent anomaly, CancellationToken cancellationToken) =>
        EnqueueAsync(anomaly, WebhookPayload.OpenedType, cancellationToken);

    /// <summary>The open event's severity rose to <see cref="AnomalyEvent.Severity"/>.</summary>
    public Task<int> EnqueueEscalationAsync(AnomalyEvent anomaly, CancellationToken cancellationToken) =>
        EnqueueAsync(anomaly, WebhookPayload.EscalatedType, cancellationToken);

    private Task<int> EnqueueAsync(AnomalyEvent anomaly, string type, CancellationToken cancellationToken)
    {
        var payload = WebhookPayload.Create(anomaly, type, options.Value.Webhooks.DashboardUrl, time.GetUtcNow());
        return store.EnqueueAsync(anomaly, payload.Id, payload.Serialize(), cancellationToken);
    }
}
