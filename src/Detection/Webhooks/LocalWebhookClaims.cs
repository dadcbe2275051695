using MetaAnomaly.Detection.Events;

namespace MetaAnomaly.Detection.Webhooks;

/// <summary>A single node's claims: every notification is queued, keyed by the event's own store id.</summary>
internal sealed class LocalWebhookClaims : IWebhookClaims
{
    public string KeyOf(AnomalyEvent anomaly, string type) => WebhookPayload.IdempotencyKeyOf(anomaly, type);

    public Task<bool> ClaimAsync(string endpointUrl, string idempotencyKey, string payload, DateTimeOffset dueAt, CancellationToken cancellationToken) =>
        Task.FromResult(true);

    public Task<bool> RewriteUnsentAsync(string endpointUrl, string idempotencyKey, string payload, CancellationToken cancellationToken) => Task.FromResult(true);
}
