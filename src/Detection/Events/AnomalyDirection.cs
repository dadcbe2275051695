using System.Text.Json.Serialization;

namespace MetaAnomaly.Detection.Events;

/// <summary>Which side of the forecast a rule watches, or on which side an event lies.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<AnomalyDirection>))]
public enum AnomalyDirection
{
    Both = 0,
    Up = 1,
    Down = 2,
}
