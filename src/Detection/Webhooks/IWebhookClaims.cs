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

    /// <summary>
    /// True when the notification is to be queued here; false when it was queued already (by another node). A cluster
    /// keeps the claimed notification (<paramref name="payload"/>, due at <paramref name="dueAt"/>) for any node to deliver.
    /// </summary>
    Task<bool> ClaimAsync(string endpointUrl, string idempotencyKey, string payload, DateTimeOffset dueAt, CancellationToken cancellationToken);

    /// <summary>
    /// Replaces the payload of a claimed notification that was not attempted yet (an escalation folded into an opening
    /// not yet sent); false when it was. A single node's outbox row is the notification's only copy: true.
    /// </summary>
    Task<bool> RewriteUnsentAsync(string endpointUrl, string idempotencyKey, string payload, CancellationToken cancellationToken);
}
