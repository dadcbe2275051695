namespace MetaAnomaly.Detection.Events;

/// <summary>
/// One anomaly: consecutive anomalous points of one series merged into an event, with its peak, the forecast band at
/// the peak, its largest calibrated surprise, whose 0-100 <see cref="AnomalyScore"/> sets its severity. This is what
/// the API, the dashboard and the webhooks show.
/// </summary>
/// <param name="Id">Store id (0 until stored).</param>
/// <param name="SeriesKey">Canonical series key text (<c>cpu,host=a#usage</c>).</param>
/// <param name="Start">Timestamp of the first anomalous point.</param>
/// <param name="End">Timestamp of the last anomalous point (equals <paramref name="Start"/> for a single point).</param>
/// <param name="Peak">Timestamp of the point with the largest |score|.</param>
/// <param name="Value">Actual value at the peak.</param>
/// <param name="Forecast">One-step forecast at the peak.</param>
/// <param name="BandLower">Lower edge of the normal band at the peak (forecast - threshold z * scale).</param>
/// <param name="BandUpper">Upper edge of the normal band at the peak.</param>
/// <param name="Score">Raw score at the peak: the residual in robust standard deviations (signed).</param>
/// <param name="Probability">Largest calibrated anomaly probability within the event.</param>
/// <param name="Rule">Name of the alarm rule that raised it.</param>
/// <param name="Reason">What raised the peak point, in words (see <see cref="Scoring.ScoredPoint.Reason"/>); null for
/// events stored before reasons were.</param>
/// <param name="Open">True while the series has not yet returned to normal.</param>
/// <param name="Surprise">Largest calibrated surprise within the event (<see cref="Scoring.ScoredPoint.Surprise"/>); null
/// for events stored before surprises were (their score then comes from the probability).</param>
/// <param name="AcknowledgedBy">Who acknowledged the event (an operator is on it: its escalations are not sent).</param>
/// <param name="AcknowledgedAt">When it was acknowledged.</param>
/// <param name="SnoozedUntil">Until when its notifications are held back (wall-clock time), when someone snoozed it.</param>
public sealed record AnomalyEvent(
    long Id,
    string SeriesKey,
    string? ClusterId,
    DateTimeOffset Start,
    DateTimeOffset End,
    DateTimeOffset Peak,
    double Value,
    double Forecast,
    double BandLower,
    double BandUpper,
    double Score,
    double Probability,
    AnomalySeverity Severity,
    AnomalyDirection Direction,
    string Rule,
    bool Open,
    int Points,
    AnomalyFeedbackKind Feedback,
    DateTimeOffset DetectedAt,
    string? Reason = null,
    double? Surprise = null,
    string? AcknowledgedBy = null,
    DateTimeOffset? AcknowledgedAt = null,
    DateTimeOffset? SnoozedUntil = null)
{
    /// <summary>The 0-100 anomaly score (see <see cref="Events.AnomalyScore"/> for the mapping); severity follows it.</summary>
    public double AnomalyScore => Surprise is { } surprise ? Events.AnomalyScore.FromSurprise(surprise) : Events.AnomalyScore.FromProbability(Probability);

    /// <summary>From the first to the last anomalous point.</summary>
    public TimeSpan Duration => End - Start;
}
