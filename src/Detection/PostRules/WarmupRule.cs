using System.Globalization;

namespace MetaAnomaly.Detection.PostRules;

/// <summary>Leaves a series' first points unscored while the calibration warms up (<see cref="WarmupOptions"/>).</summary>
internal sealed class WarmupRule(WarmupOptions options) : IPostRule
{
    private int _seen;

    public static IPostRule Create(DetectionOptions options) => new WarmupRule(options.Warmup);

    public void Apply(PointAssessment point)
    {
        _seen++;
        if (!point.Priming && _seen <= options.Points)
        {
            point.Unscored(string.Create(CultureInfo.InvariantCulture, $"warm-up: point {_seen} of {options.Points} while the calibration learns the series"));
        }
    }
}
