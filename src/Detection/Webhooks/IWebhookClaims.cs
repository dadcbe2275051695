using MetaAnomaly.Detection.Events;

namespace MetaAnomaly.Detection.Webhooks;

/// <summary>
/// The idempotency key of an event's notification, and whether it is queued here. A single node queues every
/// notification under the key of its own event id (<see cref="LocalWebhookClaims"/>); a cluster names the event the
/// same way on every node and queues each notification for an endpoint once in the cluster.
/// </summary>
public interface IWebhookClaims
{
    /// <summary>The notification's idempotency key (<see cref="WebhookPayload.Id"/>), the same for every attempt.</summary>
    string KeyOf(AnomalyEvent anomaly, string type);

    /// <summary>True when the notification is to be queued here; false when it was queued already (by another node).</summary>
    Task<bool> ClaimAsync(string endpointUrl, string idempotencyKey, CancellationToken cancellationToken);
}
