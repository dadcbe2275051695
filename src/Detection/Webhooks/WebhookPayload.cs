using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using MetaAnomaly.Detection.Events;

namespace MetaAnomaly.Detection.Webhooks;

/// <summary>
/// The JSON body every webhook receives (documented in docs/notes/detection.md). <see cref="Text"/> makes it a valid
/// Slack incoming-webhook message as is.
/// </summary>
/// <param name="Id">The idempotency key: the same for every attempt and replay of this event's notification.</param>
/// <param name="Type"><c>anomaly.opened</c>, <c>anomaly.escalated</c> (an open event's severity rose a band), or
/// <c>webhook.test</c> for a test delivery.</param>
public sealed record WebhookPayload(string Id, string Type, DateTimeOffset SentAt, WebhookAnomaly Anomaly, string Text)
{
    public const string OpenedType = "anomaly.opened";
    public const string EscalatedType = "anomaly.escalated";
    public const string TestType = "webhook.test";

    public static JsonSerializerOptions Json { get; } = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    /// <summary>One key per event and notification: the opening, and each severity the event escalates to.</summary>
    public static string IdempotencyKeyOf(AnomalyEvent anomaly, string type) => type == EscalatedType
        ? $"anomaly-{anomaly.Id}-escalated-{anomaly.Severity.ToString().ToLowerInvariant()}"
        : $"anomaly-{anomaly.Id}-opened";

    public static WebhookPayload Create(AnomalyEvent anomaly, string type, string dashboardUrl, DateTimeOffset now)
    {
        var link = $"{dashboardUrl.TrimEnd('/')}/anomalies/{anomaly.Id}";
        var body = new WebhookAnomaly(
            anomaly.Id, anomaly.SeriesKey, anomaly.ClusterId, anomaly.Start, anomaly.End, anomaly.Peak, anomaly.Value,
            anomaly.Forecast, new WebhookBand(anomaly.BandLower, anomaly.BandUpper), anomaly.Score, anomaly.Probability,
            anomaly.Severity, anomaly.Direction, anomaly.Rule, link, anomaly.Reason);
        var text = string.Create(CultureInfo.InvariantCulture,
            $"[{anomaly.Severity}] anomaly on {anomaly.SeriesKey}{(type == EscalatedType ? $" escalated to {anomaly.Severity}" : "")} at {anomaly.Peak:u}: value {anomaly.Value:G6}, expected {anomaly.Forecast:G6} " +
            $"(band {anomaly.BandLower:G6}..{anomaly.BandUpper:G6}), score {anomaly.Score:F1}, probability {anomaly.Probability:F6}. <{link}|Open in MetaAnomaly>");
        var id = type == TestType ? $"test-{Guid.NewGuid():N}" : IdempotencyKeyOf(anomaly, type);
        return new WebhookPayload(id, type, now, body, text);
    }

    public string Serialize() => JsonSerializer.Serialize(this, Json);
}

public sealed record WebhookAnomaly(
    long Id,
    string SeriesKey,
    string? ClusterId,
    DateTimeOffset Start,
    DateTimeOffset End,
    DateTimeOffset Peak,
    double Value,
    double Forecast,
    WebhookBand Band,
    double Score,
    double Probability,
    AnomalySeverity Severity,
    AnomalyDirection Direction,
    string Rule,
    string Link,
    string? Reason);

public sealed record WebhookBand(double Lower, double Upper);
