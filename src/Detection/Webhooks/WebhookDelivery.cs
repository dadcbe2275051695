using System.Text.Json.Serialization;

namespace MetaAnomaly.Detection.Webhooks;

[JsonConverter(typeof(JsonStringEnumConverter<DeliveryState>))]
public enum DeliveryState
{
    Pending = 0,
    Delivered = 1,
    DeadLettered = 2,
}

/// <summary>One event's delivery to one endpoint, as the delivery log shows it.</summary>
public sealed record WebhookDelivery(
    long Id,
    long EndpointId,
    long EventId,
    string IdempotencyKey,
    DeliveryState State,
    int Attempts,
    DateTimeOffset NextAttemptAt,
    int? LastStatus,
    string? LastError,
    long? LastLatencyMs,
    DateTimeOffset CreatedAt,
    DateTimeOffset? DeliveredAt)
{
    /// <summary>What was notified: <c>anomaly.opened</c>, <c>anomaly.escalated</c> or <c>anomaly.resolved</c>.</summary>
    public string Type => WebhookPayload.TypeOfKey(IdempotencyKey);
}

/// <summary>One HTTP attempt of a delivery.</summary>
public sealed record DeliveryAttempt(int Attempt, DateTimeOffset At, int? Status, string? Error, long LatencyMs);

/// <summary>A due delivery with what it takes to send it; its retry horizon runs from <see cref="RetrySince"/> (creation or replay).</summary>
internal sealed record PendingDelivery(long Id, long EndpointId, string IdempotencyKey, string Payload, int Attempts, DateTimeOffset RetrySince);

/// <summary>One endpoint's queue: deliveries pending and dead-lettered, and when the earliest pending one is due.</summary>
internal sealed record EndpointQueue(int Pending, int DeadLettered, DateTimeOffset? NextDueAt);
