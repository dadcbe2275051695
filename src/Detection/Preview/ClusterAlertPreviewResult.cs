using MetaAnomaly.Detection.Sensitivity;

namespace MetaAnomaly.Detection.Preview;

/// <summary>
/// What a sensitivity set on a cluster would have alerted on: each member replayed at the sensitivity it would then
/// apply (its own setting where it has one, which wins over the cluster's), and the would-be alerts summed per UTC day.
/// </summary>
public sealed record ClusterAlertPreviewResult(
    string ClusterId,
    AlertSensitivity Sensitivity,
    DateTimeOffset From,
    DateTimeOffset To,
    PreviewCoverage Coverage,
    IReadOnlyList<MemberAlertPreview> Members,
    IReadOnlyList<DailyAlertCount> PerDay)
{
    public int Alerts => Members.Sum(m => m.Alerts.Count);
}

/// <param name="OwnSetting">The member keeps its own sensitivity, so the cluster's does not apply to it.</param>
public sealed record MemberAlertPreview(string SeriesKey, AlertSensitivity Sensitivity, bool OwnSetting, int ReplayedPoints, IReadOnlyList<PreviewAlert> Alerts);

/// <summary>Would-be alerts that start on one UTC day, over the stored points of that day (none: the day is not covered).</summary>
public sealed record DailyAlertCount(DateOnly Day, int StoredPoints, int Alerts);
