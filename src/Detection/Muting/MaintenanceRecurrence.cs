using System.Text.Json.Serialization;

namespace MetaAnomaly.Detection.Muting;

[JsonConverter(typeof(JsonStringEnumConverter<MaintenanceRecurrence>))]
public enum MaintenanceRecurrence
{
    /// <summary>Once, from start to end.</summary>
    None = 0,

    /// <summary>Every day at the same time as the first occurrence.</summary>
    Daily = 1,

    /// <summary>Every week on the same day and time as the first occurrence.</summary>
    Weekly = 2,
}
