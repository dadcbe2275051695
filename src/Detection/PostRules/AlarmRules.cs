using System.Globalization;
using MetaAnomaly.Detection.Rules;
using MetaAnomaly.Detection.Scoring;
using MetaAnomaly.Shared.Series;

namespace MetaAnomaly.Detection.PostRules;

/// <summary>
/// The verdict: the point is anomalous when any alarm rule (<see cref="DetectionOptions.Rules"/>, each with its
/// threshold for the series as feedback and the operator's sensitivity moved it, its direction and duration) fires; the first in order names it.
/// Every rule sees every point, so their durations count on.
/// </summary>
internal sealed class AlarmRules : IPostRule
{
    private readonly (AlarmRuleOptions Options, AlarmRule State)[] _rules;
    private readonly IThresholdSource _thresholds;
    private readonly SeriesKey _series;

    private AlarmRules(IReadOnlyList<AlarmRuleOptions> rules, IThresholdSource thresholds, SeriesKey series)
    {
        _rules = rules.Select(r => (r, new AlarmRule(r))).ToArray();
        _thresholds = thresholds;
        _series = series;
    }

    public static IPostRule Create(DetectionOptions options, IThresholdSource thresholds, SeriesKey series) =>
        new AlarmRules(options.EffectiveRules, thresholds, series);

    public void Apply(PointAssessment point)
    {
        var probability = point.Scored ? TailProbabilityCalibrator.NormalCdf(point.Surprise) : 0;
        string? fired = null;
        var threshold = _rules[0].Options.Threshold;
        foreach (var (options, rule) in _rules)
        {
            var ruleThreshold = _thresholds.ThresholdFor(_series, point.ClusterId, options);
            if (rule.Observe(probability, point.Score, ruleThreshold) && fired is null)
            {
                fired = rule.Name;
                threshold = ruleThreshold;
            }
        }
        point.Decide(fired, threshold);
        if (fired is not null)
        {
            point.Explain(string.Create(CultureInfo.InvariantCulture,
                $"rule '{fired}' fired: surprise {point.Surprise:F1} from {point.SurpriseSource} reached its threshold {threshold}"));
        }
    }
}
