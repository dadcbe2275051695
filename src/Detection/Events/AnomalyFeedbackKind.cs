using System.Text.Json.Serialization;

namespace MetaAnomaly.Detection.Events;

/// <summary>An operator's verdict on an event.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<AnomalyFeedbackKind>))]
public enum AnomalyFeedbackKind
{
    None = 0,
    Confirmed = 1,
    Dismissed = 2,
}
