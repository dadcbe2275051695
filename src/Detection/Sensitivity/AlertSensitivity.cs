using System.Text.Json.Serialization;

namespace MetaAnomaly.Detection.Sensitivity;

/// <summary>
/// How readily a series or a cluster alerts, as an operator set it. Each level moves the alarm rules' thresholds in
/// "nines" (n = -log10(1 - threshold)) from the cluster's thresholds (configured, moved by feedback): Low adds two
/// (at the default 0.9999, one point in a million alarms instead of one in ten thousand), Medium leaves them, High takes
/// one away (one in a thousand).
/// </summary>
[JsonConverter(typeof(JsonStringEnumConverter<AlertSensitivity>))]
public enum AlertSensitivity
{
    Low,
    Medium,
    High,
}
