namespace MetaAnomaly.Detection.Webhooks;

/// <summary>Webhook endpoints and their delivery log as operators manage them (endpoints shown redacted, never their secrets).</summary>
public interface IWebhookManagement
{
    Task<IReadOnlyList<WebhookEndpoint>> ListAsync(CancellationToken cancellationToken);

    /// <summary>Creates an endpoint; null when the name is taken.</summary>
    Task<WebhookEndpoint?> CreateAsync(WebhookEndpointRequest request, CancellationToken cancellationToken);

    /// <summary>Deletes an endpoint with its deliveries; false when absent.</summary>
    Task<bool> DeleteAsync(long id, CancellationToken cancellationToken);

    /// <summary>The endpoint's latest deliveries, newest first, optionally in one state only.</summary>
    Task<IReadOnlyList<WebhookDelivery>> DeliveriesAsync(long endpointId, DeliveryState? state, int limit, CancellationToken cancellationToken);

    /// <summary>The notifications of one anomaly: which endpoint got which, and how the delivery went.</summary>
    Task<IReadOnlyList<WebhookDelivery>> DeliveriesOfEventAsync(long eventId, CancellationToken cancellationToken);

    /// <summary>Sends one test payload to the endpoint now, outside the queue; returns the attempt, or null when the endpoint is absent.</summary>
    Task<DeliveryAttempt?> SendTestAsync(long endpointId, CancellationToken cancellationToken);

    /// <summary>Every endpoint's health (healthy, failing since, circuit open) and when its next attempt is due, for a badge.</summary>
    Task<IReadOnlyList<WebhookEndpointHealth>> HealthAsync(CancellationToken cancellationToken);

    /// <summary>Puts a dead-lettered delivery back in the queue with a fresh retry horizon; false when it is not dead-lettered.</summary>
    Task<bool> ReplayAsync(long deliveryId, CancellationToken cancellationToken);
}
