using System.Globalization;
using MetaAnomaly.Detection.PostRules;

namespace MetaAnomaly.Detection.Scoring;

/// <summary>
/// The first stage of one series' detection: the residual against the forecast, in robust scales of the series' latest
/// normal residuals (floored relative to its level), and its deviate. It learns every point's residual that the
/// post-rules did not find anomalous.
/// </summary>
internal sealed class ResidualScorer(ScoringOptions options)
{
    private readonly RobustScale _scale = new(options.ScaleWindow, options.MinOnlineResiduals, options.StdFloorFraction);
    private double _levelSum;
    private long _levelCount;

    /// <summary>
    /// Scores one point; null while priming points only set the scale (the first <see cref="ScoringOptions.MinOnlineResiduals"/>):
    /// the adaptation's in-sample scale would understate the history's own residuals.
    /// </summary>
    public PointAssessment? Score(DateTimeOffset timestamp, double value, double forecast, double adaptationScale, bool priming, string? clusterId)
    {
        _levelSum += Math.Abs(value);
        _levelCount++;
        var residual = value - forecast;
        var floor = options.RelativeScaleFloor * Math.Max(_levelSum / _levelCount, 1e-9);
        if (priming && _scale.Count < options.MinOnlineResiduals)
        {
            _scale.Add(residual);
            return null;
        }
        var scale = Math.Max(_scale.Current(priming ? double.NaN : adaptationScale), floor);
        if (!double.IsFinite(scale))
        {
            scale = floor;
        }
        var score = residual / scale;
        var deviate = TailProbabilityCalibrator.Deviate(Math.Abs(score));
        var notable = deviate >= options.NotableDeviate;
        var point = new PointAssessment(timestamp, value, forecast, scale, score, deviate, notable, priming, clusterId);
        if (notable)
        {
            point.Explain(string.Create(CultureInfo.InvariantCulture,
                $"residual {Math.Abs(score):F1} scales {(score >= 0 ? "above" : "below")} the forecast"));
        }
        return point;
    }

    /// <summary>Teaches the scale the point's residual unless the post-rules found it anomalous.</summary>
    public void Learn(PointAssessment point)
    {
        if (!point.Anomalous)
        {
            _scale.Add(point.Residual);
        }
    }
}
