using MetaAnomaly.Detection.Events;
using MetaAnomaly.Detection.Sensitivity;

namespace MetaAnomaly.Detection.Preview;

/// <summary>
/// What the detector would have alerted on over a range of a series' stored points at one sensitivity.
/// </summary>
/// <param name="Threshold">The first alarm rule's threshold at that sensitivity.</param>
/// <param name="PrimedPoints">Stored points before <paramref name="From"/> the replay was primed on (never alerting).</param>
/// <param name="ReplayedPoints">Stored points from <paramref name="From"/> to <paramref name="To"/> it replayed.</param>
/// <param name="Coverage">How much of the range stored points cover (scores are kept only so long).</param>
/// <param name="Alerts">The events it would have opened, in time order.</param>
public sealed record AlertPreviewResult(
    string SeriesKey,
    AlertSensitivity Sensitivity,
    double Threshold,
    DateTimeOffset From,
    DateTimeOffset To,
    int PrimedPoints,
    int ReplayedPoints,
    PreviewCoverage Coverage,
    IReadOnlyList<PreviewAlert> Alerts);

/// <summary>One event the preview's replay opened, at its peak.</summary>
public sealed record PreviewAlert(DateTimeOffset Start, DateTimeOffset End, DateTimeOffset Peak, double Value, double AnomalyScore, AnomalySeverity Severity)
{
    public static PreviewAlert Of(AnomalyEvent anomaly) =>
        new(anomaly.Start, anomaly.End, anomaly.Peak, anomaly.Value, anomaly.AnomalyScore, anomaly.Severity);
}
