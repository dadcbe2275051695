using System.Text.Json.Serialization;

namespace MetaAnomaly.Detection.Sensitivity;

/// <summary>What a sensitivity is set on; a series' own setting wins over its cluster's.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<SensitivityScope>))]
public enum SensitivityScope
{
    Series,
    Cluster,
}
