using System.Text.Json.Serialization;

namespace MetaAnomaly.Detection.Webhooks;

[JsonConverter(typeof(JsonStringEnumConverter<WebhookHealthState>))]
public enum WebhookHealthState
{
    /// <summary>The last attempt succeeded, or none has failed since the start.</summary>
    Healthy = 0,

    /// <summary>Recent attempts failed; deliveries are retried on their backoff schedule.</summary>
    Failing = 1,

    /// <summary>Too many consecutive failures: one probe per <c>MaxBackoff</c> until one succeeds.</summary>
    CircuitOpen = 2,
}

/// <summary>
/// How an endpoint is doing, for a dashboard badge: its state, the run of failures (since when, how many, why the last
/// one failed), its pending and dead-lettered deliveries and when the next attempt is due (the next probe while the
/// circuit is open).
/// </summary>
public sealed record WebhookEndpointHealth(
    long EndpointId,
    string Name,
    WebhookHealthState State,
    DateTimeOffset? FailingSince,
    int ConsecutiveFailures,
    int Pending,
    int DeadLettered,
    DateTimeOffset? NextAttemptAt,
    string? LastError = null);
