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
/// <param name="Type"><c>anomaly.opened</c>, <c>anomaly.escalated</c> (an open event's severity rose a band),
/// <c>anomaly.resolved</c> (the series returned to normal), or <c>webhook.test</c> for a test delivery.</param>
public sealed record WebhookPayload(string Id, string Type, DateTimeOffset SentAt, WebhookAnomaly Anomaly, string Text)
{
    public const string OpenedType = "anomaly.opened";
    public const string EscalatedType = "anomaly.escalated";
    public const string ResolvedType = "anomaly.resolved";
    public const string TestType = "webhook.test";

    public static JsonSerializerOptions Json { get; } = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    /// <summary>
    /// One key per event and notification: the opening, each severity the event escalates to, and each end it resolves
    /// at (a closed event that a repeat within the cool-down reopens resolves again later).
    /// </summary>
    public static string IdempotencyKeyOf(AnomalyEvent anomaly, string type) => IdempotencyKeyOf($"anomaly-{anomaly.Id}", anomaly, type);

    /// <summary>The key of <see cref="IdempotencyKeyOf(AnomalyEvent, string)"/> with another name for the event (a cluster's).</summary>
    public static string IdempotencyKeyOf(string eventName, AnomalyEvent anomaly, string type) => type switch
    {
        EscalatedType => $"{eventName}-escalated-{anomaly.Severity.ToString().ToLowerInvariant()}",
        ResolvedType => $"{eventName}-resolved-{anomaly.End.ToUnixTimeMilliseconds()}",
        _ => $"{eventName}-opened",
    };

    /// <summary>The notification type a delivery's idempotency key stands for (the delivery log's column).</summary>
    public static string TypeOfKey(string idempotencyKey) =>
        idempotencyKey.Contains("-escalated-", StringComparison.Ordinal) ? EscalatedType
        : idempotencyKey.Contains("-resolved", StringComparison.Ordinal) ? ResolvedType
        : idempotencyKey.StartsWith("test-", StringComparison.Ordinal) ? TestType
        : OpenedType;

    public static WebhookPayload Create(AnomalyEvent anomaly, string type, string dashboardUrl, DateTimeOffset now)
    {
        var link = $"{dashboardUrl.TrimEnd('/')}/anomalies/{anomaly.Id}";
        var body = new WebhookAnomaly(
            anomaly.Id, anomaly.SeriesKey, anomaly.ClusterId, anomaly.Start, anomaly.End, anomaly.Peak, anomaly.Value,
            anomaly.Forecast, new WebhookBand(anomaly.BandLower, anomaly.BandUpper), anomaly.Score, anomaly.Probability,
            anomaly.Severity, anomaly.Direction, anomaly.Rule, link, anomaly.Reason,
            Math.Round(anomaly.AnomalyScore, 1), AnomalyExplanation.Sentence(anomaly), anomaly.Open, anomaly.Duration.TotalSeconds,
            anomaly.AcknowledgedBy, anomaly.AcknowledgedAt);
        var text = type == ResolvedType
            ? string.Create(CultureInfo.InvariantCulture,
                $"[Resolved] anomaly on {anomaly.SeriesKey} ended at {anomaly.End:u} after {AnomalyExplanation.Humanize(anomaly.Duration)} ({anomaly.Points} points); " +
                $"peak {AnomalyExplanation.Number(anomaly.Value)} at {anomaly.Peak:u}, score {anomaly.AnomalyScore:0}/100 ({anomaly.Severity}). <{link}|Open in MetaAnomaly>")
            : string.Create(CultureInfo.InvariantCulture,
                $"[{anomaly.Severity}] anomaly on {anomaly.SeriesKey}{(type == EscalatedType ? $" escalated to {anomaly.Severity}" : "")} at {anomaly.Peak:u}: " +
                $"{body.Explanation} <{link}|Open in MetaAnomaly>");
        var id = type == TestType ? $"test-{Guid.NewGuid():N}" : IdempotencyKeyOf(anomaly, type);
        return new WebhookPayload(id, type, now, body, text);
    }

    public string Serialize() => JsonSerializer.Serialize(this, Json);
}

/// <param name="Score">The raw score at the peak: the residual in robust scales (signed).</param>
/// <param name="AnomalyScore">The 0-100 score severity follows (<see cref="Events.AnomalyScore"/>).</param>
/// <param name="Explanation">The event in one sentence (<see cref="AnomalyExplanation"/>).</param>
/// <param name="Open">False once the series returned to normal (every <c>anomaly.resolved</c>).</param>
/// <param name="DurationSeconds">From the first to the last anomalous point.</param>
/// <param name="AcknowledgedBy">Who acknowledged the event, when someone did (escalations of acknowledged events are not sent).</param>
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
    string? Reason,
    double AnomalyScore,
    string Explanation,
    bool Open,
    double DurationSeconds,
    string? AcknowledgedBy,
    DateTimeOffset? AcknowledgedAt);

public sealed record WebhookBand(double Lower, double Upper);
