namespace MetaAnomaly.Detection.Webhooks;

/// <summary>
/// The deliveries <see cref="WebhookDispatcher"/> sends and records: a single node's outbox (<see cref="WebhookStore"/>);
/// in a cluster, the notifications claimed by any node, in the cluster's database, sent by whichever live node takes
/// them first.
/// </summary>
internal interface IWebhookQueue
{
    /// <summary>Deliveries due at <paramref name="now"/>, oldest first, each with this node's endpoint id for it.</summary>
    Task<IReadOnlyList<PendingDelivery>> DueAsync(DateTimeOffset now, int limit, CancellationToken cancellationToken);

    /// <summary>Logs one attempt and moves the delivery to its new state.</summary>
    Task RecordAttemptAsync(
        long deliveryId, int attempt, DateTimeOffset at, int? status, string? error, long latencyMs,
        DeliveryState state, DateTimeOffset nextAttempt, CancellationToken cancellationToken);

    /// <summary>Dead-letters a pending delivery without an attempt, with the reason as its last error.</summary>
    Task DeadLetterAsync(long deliveryId, string reason, CancellationToken cancellationToken);
}
