using MetaAnomaly.Detection.Events;
using Microsoft.Extensions.Options;

namespace MetaAnomaly.Detection.Webhooks;

/// <summary>Queues a new event's notification for every endpoint that wants it (the dispatcher delivers).</summary>
internal sealed class WebhookOutbox(WebhookStore store, IOptions<DetectionOptions> options, TimeProvider time)
{
    public Task<int> EnqueueAsync(AnomalyEvent anomaly, CancellationToken cancellationToken)
    {
        var body = WebhookPayload.Create(anomaly, WebhookPayload.OpenedType, options.Value.Webhooks.DashboardUrl, time.GetUtcNow()).Serialize();
        return store.EnqueueAsync(anomaly, body, cancellationToken);
    }
}
