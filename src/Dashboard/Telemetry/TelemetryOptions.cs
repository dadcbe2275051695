using System.ComponentModel.DataAnnotations;

namespace MetaAnomaly.Dashboard.Telemetry;

/// <summary>The <c>Dashboard:Telemetry</c> section: who may scrape <c>/metrics</c>.</summary>
public sealed class TelemetryOptions
{
    public const string SectionName = "Dashboard:Telemetry";

    /// <summary>
    /// A key a Prometheus scrape may present instead of an admin's credentials (<c>Authorization: Bearer</c>, as
    /// <c>authorization.credentials</c> in a scrape config); empty: admins only.
    /// </summary>
    [MinLength(16, ErrorMessage = "Dashboard:Telemetry:MetricsKey must be at least 16 characters (or empty: admins only).")]
    public string? MetricsKey { get; set; }
}
