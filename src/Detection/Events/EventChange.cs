using System.Text.Json.Serialization;

namespace MetaAnomaly.Detection.Events;

[JsonConverter(typeof(JsonStringEnumConverter<EventChangeKind>))]
public enum EventChangeKind
{
    /// <summary>A new event: alert on it.</summary>
    Opened,

    /// <summary>An open event grew (or a repeat within the cool-down reopened it): no new alert.</summary>
    Extended,

    /// <summary>An open event grew and its severity rose a band (at most three times an event): alert again.</summary>
    Escalated,

    /// <summary>The series returned to normal.</summary>
    Closed,
}

/// <summary>What one point did to its series' events.</summary>
public sealed record EventChange(EventChangeKind Kind, AnomalyEvent Event);
