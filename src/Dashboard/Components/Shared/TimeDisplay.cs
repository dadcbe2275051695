using System.Globalization;

namespace MetaAnomaly.Dashboard.Components.Shared;

/// <summary>
/// The time zone every time on the dashboard is shown in: the browser's own by default, or UTC; the layout cascades a
/// new one when the user switches, so every page redraws. Times are stored and sent in UTC regardless.
/// </summary>
public sealed record TimeDisplay(TimeZoneInfo Zone, string Name)
{
    public const string DefaultFormat = "yyyy-MM-dd HH:mm";

    public static TimeDisplay Utc { get; } = new(TimeZoneInfo.Utc, "UTC");

    public bool IsUtc => Zone == TimeZoneInfo.Utc;

    /// <summary>The zone of an IANA id from the browser, or UTC when this machine does not know it.</summary>
    public static TimeDisplay Of(string? ianaId) =>
        ianaId is { Length: > 0 } && TimeZoneInfo.TryFindSystemTimeZoneById(ianaId, out var zone) && zone != TimeZoneInfo.Utc
            ? new TimeDisplay(zone, ianaId)
            : Utc;

    /// <summary>The wall-clock time in this zone (for charts, which draw dates as given).</summary>
    public DateTime Local(DateTimeOffset time) => TimeZoneInfo.ConvertTime(time, Zone).DateTime;

    public string Format(DateTimeOffset time, string format = DefaultFormat) => Local(time).ToString(format, CultureInfo.InvariantCulture);

    public string Format(DateTimeOffset? time, string whenNone, string format = DefaultFormat) => time is { } t ? Format(t, format) : whenNone;

    /// <summary>The time with the zone named, for a time shown on its own.</summary>
    public string WithZone(DateTimeOffset time, string format = DefaultFormat) => $"{Format(time, format)} {Name}";
}
