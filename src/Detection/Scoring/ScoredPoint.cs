using MetaAnomaly.Detection.Events;

namespace MetaAnomaly.Detection.Scoring;

/// <summary>
/// One scored point: the forecast, the robust residual scale, the raw score (residual in scales), the calibrated
/// probability and the verdict of the alarm rules.
/// </summary>
/// <param name="Surprise">The calibrated deviation whose normal CDF is <paramref name="Probability"/>; unlike the
/// probability it does not saturate at 1, so it ranks strong anomalies (NAB's corpus-wide threshold sweep uses it).</param>
/// <param name="Scored">False during warm-up (probability not yet calibrated): never anomalous.</param>
/// <param name="Rule">The rule that fired, when <paramref name="Anomalous"/>.</param>
/// <param name="Reason">What raised or excused the point, in words (the residual, the memories that excused it, the
/// statistic its surprise came from, the rule that fired); null when nothing did, and for points read back from the store.</param>
public sealed record ScoredPoint(
    DateTimeOffset Timestamp,
    double Value,
    double Forecast,
    double Scale,
    double Score,
    double Probability,
    double Surprise,
    bool Scored,
    bool Anomalous,
    string? Rule,
    double Threshold,
    string? Reason = null)
{
    public AnomalyDirection Direction => Score >= 0 ? AnomalyDirection.Up : AnomalyDirection.Down;
}
