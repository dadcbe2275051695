using MetaAnomaly.Detection.Events;
using MetaAnomaly.Detection.PostRules;
using MetaAnomaly.Shared.Forecasts;

namespace MetaAnomaly.Detection.Scoring;

/// <summary>
/// The detection pipeline of one series, Merlion's layering: the forecaster's one-step forecast -> residual scorer ->
/// the ordered post-rules (recurrence, memory, calibration, sustained score, flatline, warm-up, alarm rules) -> events.
/// </summary>
internal sealed class SeriesDetector(ResidualScorer scorer, IReadOnlyList<IPostRule> rules, EventTracker events)
{
    public DateTimeOffset? LastScored { get; private set; }

    /// <summary>
    /// Scores one point from its forecast. Returns null, scoring nothing, when the value or the forecast is not a
    /// finite number (gaps, bad input): such points neither score nor teach the scale. A <paramref name="priming"/>
    /// point (stored history) is scored against the forecast's anchor and teaches the scale, the calibration and the
    /// memories like any other, but is never anomalous and never touches events; the first priming points only
    /// teach the scale (null).
    /// </summary>
    public (ScoredPoint Point, EventChange? Change)? Observe(
        DateTimeOffset timestamp, double value, OneStepForecast forecast, string? clusterId, DateTimeOffset now, bool priming = false)
    {
        // History is primed with the anchor where there is one: the model was adapted on that history, and its
        // in-sample residuals would understate the scale and the deviations the series makes.
        var expected = priming && double.IsFinite(forecast.Anchor) ? forecast.Anchor : forecast.Value;
        if (!double.IsFinite(value) || !forecast.Available || !double.IsFinite(expected))
        {
            return null;
        }
        LastScored = timestamp;
        if (scorer.Score(timestamp, value, expected, forecast.ResidualScale, priming, clusterId) is not { } assessment)
        {
            return null;
        }
        foreach (var rule in rules)
        {
            rule.Apply(assessment);
        }
        scorer.Learn(assessment);
        var scored = assessment.Scored;
        var point = new ScoredPoint(
            timestamp, value, expected, assessment.Scale, assessment.Score,
            scored ? TailProbabilityCalibrator.NormalCdf(assessment.Surprise) : 0, scored ? assessment.Surprise : 0, scored,
            assessment.Anomalous, assessment.Rule, assessment.Threshold, assessment.Reason);
        return (point, priming ? null : events.Observe(point, clusterId, now));
    }
}
