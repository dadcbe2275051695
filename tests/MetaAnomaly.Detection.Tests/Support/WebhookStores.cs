using MetaAnomaly.Detection.Webhooks;
using MetaAnomaly.Shared.Security;
using MetaAnomaly.Shared.Storage;

namespace MetaAnomaly.Detection.Tests.Support;

/// <summary>A single node's webhook endpoints and outbox, both in its one state database, as the host composes them.</summary>
internal sealed record WebhookStores(WebhookEndpointStore Endpoints, WebhookDeliveryStore Deliveries)
{
    public static WebhookStores On(IStateDatabase database, TimeProvider time, ISecretProtector secrets) =>
        new(new WebhookEndpointStore(database, time, secrets), new WebhookDeliveryStore(database, time));
}
