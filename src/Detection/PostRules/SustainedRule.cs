using System.Globalization;
using MetaAnomaly.Detection.Scoring;

namespace MetaAnomaly.Detection.PostRules;

/// <summary>Raises the surprise to the sustained score's when larger (<see cref="SustainedOptions"/>).</summary>
internal sealed class SustainedRule : IPostRule
{
    private readonly TailProbabilityCalibrator _calibrator;
    private readonly SeenWindow _seen;
    private readonly double _discount;
    private readonly string _source;
    private readonly string _discounted;

    private SustainedRule(SustainedOptions options, double discount)
    {
        _calibrator = new TailProbabilityCalibrator(options.Window, options.LongWindow);
        _seen = new SeenWindow(options.Window);
        _discount = discount;
        _source = string.Create(CultureInfo.InvariantCulture, $"the sustained score (mean deviate of the last {options.Window} points)");
        _discounted = string.Create(CultureInfo.InvariantCulture, $"{_source}, divided by {discount:0.##} as its deviations were all seen before");
    }

    public static IPostRule? Create(DetectionOptions options) =>
        options.Sustained.Window > 0 ? new SustainedRule(options.Sustained, options.Scoring.SeenDeviationDiscount) : null;

    public void Apply(PointAssessment point)
    {
        var sustained = point.Recurring ? _calibrator.ObserveOrdinary() : _calibrator.Observe(point.Deviate);
        _seen.Add(point.Notable, point.Seen);
        if (_seen.AllSeen)
        {
            point.Raise(sustained / _discount, _discounted);
        }
        else
        {
            point.Raise(sustained, _source);
        }
    }
}
