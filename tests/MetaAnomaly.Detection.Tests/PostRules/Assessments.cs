using MetaAnomaly.Detection.PostRules;
using MetaAnomaly.Detection.Scoring;
using MetaAnomaly.Detection.Tests.Support;

namespace MetaAnomaly.Detection.Tests.PostRules;

/// <summary>Points as the residual scorer hands them to the post-rules.</summary>
internal static class Assessments
{
    public static PointAssessment At(int index, double value, double forecast, double scale = 1, bool priming = false, TimeSpan? step = null)
    {
        var score = (value - forecast) / scale;
        var deviate = TailProbabilityCalibrator.Deviate(Math.Abs(score));
        return new PointAssessment(
            Synthetic.Start + (step ?? Synthetic.Step) * index, value, forecast, scale, score, deviate,
            deviate >= ScoringOptions.Defaults.NotableDeviate, priming, "c1");
    }

    /// <summary>Runs the point through the rule and returns it.</summary>
    public static PointAssessment Through(this IPostRule rule, PointAssessment point)
    {
        rule.Apply(point);
        return point;
    }
}
