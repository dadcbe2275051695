using System.Text.Json.Serialization;

namespace MetaAnomaly.Detection.Events;

/// <summary>Severity from the calibrated probability (thresholds in <see cref="DetectionOptions.Severity"/>).</summary>
[JsonConverter(typeof(JsonStringEnumConverter<AnomalySeverity>))]
public enum AnomalySeverity
{
    Low = 0,
    Medium = 1,
    High = 2,
    Critical = 3,
}
