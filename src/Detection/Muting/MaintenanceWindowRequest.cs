namespace MetaAnomaly.Detection.Muting;

/// <summary>A maintenance window to create.</summary>
public sealed record MaintenanceWindowRequest(
    string Name,
    DateTimeOffset Start,
    DateTimeOffset End,
    string? SeriesPattern = null,
    string? ClusterId = null,
    MaintenanceRecurrence Recurrence = MaintenanceRecurrence.None)
{
    /// <summary>Problems by field name; empty when valid.</summary>
    public Dictionary<string, string[]> Validate()
    {
        var errors = new Dictionary<string, string[]>();
        if (string.IsNullOrWhiteSpace(Name))
        {
            errors[nameof(Name)] = ["A name is required."];
        }
        if (End <= Start)
        {
            errors[nameof(End)] = ["The end must be after the start."];
        }
        if (!Enum.IsDefined(Recurrence))
        {
            errors[nameof(Recurrence)] = ["None, Daily or Weekly."];
        }
        else if (Recurrence != MaintenanceRecurrence.None && End - Start > TimeSpan.FromDays(Recurrence == MaintenanceRecurrence.Daily ? 1 : 7))
        {
            errors[nameof(End)] = ["A recurring window must be shorter than its period."];
        }
        return errors;
    }
}
