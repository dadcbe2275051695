using System.Globalization;
using MetaAnomaly.Detection.Scoring;

namespace MetaAnomaly.Detection.PostRules;

/// <summary>
/// Sets the point's surprise from the rescaled tail calibrator (<see cref="CalibrationOptions"/>): a recurring point
/// counts as ordinary, a seen one has its surprise divided by <see cref="ScoringOptions.SeenDeviationDiscount"/>.
/// </summary>
internal sealed class PointCalibrationRule : IPostRule
{
    private const string Source = "the point's deviate";
    private readonly RescaledTailCalibrator _calibrator;
    private readonly double _discount;
    private readonly string _discounted;

    private PointCalibrationRule(CalibrationOptions options, double discount)
    {
        _calibrator = new RescaledTailCalibrator(options.ShortWindow, options.LongWindow);
        _discount = discount;
        _discounted = string.Create(CultureInfo.InvariantCulture, $"{Source}, divided by {discount:0.##} as seen before");
    }

    public static IPostRule Create(DetectionOptions options) => new PointCalibrationRule(options.Calibration, options.Scoring.SeenDeviationDiscount);

    public void Apply(PointAssessment point)
    {
        var surprise = point.Recurring ? _calibrator.ObserveOrdinary(point.Scale) : _calibrator.Observe(Math.Abs(point.Residual), point.Scale);
        if (point.Seen)
        {
            point.Calibrate(surprise / _discount, _discounted);
        }
        else
        {
            point.Calibrate(surprise, Source);
        }
    }
}
