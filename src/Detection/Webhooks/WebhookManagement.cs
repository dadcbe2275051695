namespace MetaAnomaly.Detection.Webhooks;

/// <summary><see cref="IWebhookManagement"/> over the endpoints, the outbox and the dispatcher, showing endpoints as the API does.</summary>
internal sealed class WebhookManagement(WebhookEndpointStore endpoints, WebhookDeliveryStore store, WebhookDispatcher dispatcher) : IWebhookManagement
{
    public async Task<IReadOnlyList<WebhookEndpoint>> ListAsync(CancellationToken cancellationToken) =>
        (await endpoints.ListAsync(cancellationToken)).Select(t => t.ToPublic()).ToArray();

    public async Task<WebhookEndpoint?> CreateAsync(WebhookEndpointRequest request, CancellationToken cancellationToken) =>
        (await endpoints.CreateAsync(request, cancellationToken))?.ToPublic();

    public async Task<bool> DeleteAsync(long id, CancellationToken cancellationToken)
    {
        if (!await endpoints.DeleteAsync(id, cancellationToken))
        {
            return false;
        }
        await store.ForgetEndpointAsync(id, cancellationToken);
        return true;
    }

    public Task<IReadOnlyList<WebhookDelivery>> DeliveriesAsync(long endpointId, DeliveryState? state, int limit, CancellationToken cancellationToken) =>
        store.DeliveriesAsync(endpointId, state, limit, cancellationToken);

    public Task<IReadOnlyList<WebhookDelivery>> DeliveriesOfEventAsync(long eventId, CancellationToken cancellationToken) =>
        store.DeliveriesOfEventAsync(eventId, cancellationToken);

    public Task<DeliveryAttempt?> SendTestAsync(long endpointId, CancellationToken cancellationToken) =>
        dispatcher.SendTestAsync(endpointId, cancellationToken);

    public Task<IReadOnlyList<WebhookEndpointHealth>> HealthAsync(CancellationToken cancellationToken) => dispatcher.HealthAsync(cancellationToken);

    public Task<bool> ReplayAsync(long deliveryId, CancellationToken cancellationToken) => store.ReplayAsync(deliveryId, cancellationToken);
}
