using MetaAnomaly.Detection.Events;
using MetaAnomaly.Detection.Rules;
using MetaAnomaly.Shared.Forecasts;

namespace MetaAnomaly.Detection.Scoring;

/// <summary>
/// The detection pipeline of one series, Merlion's layering: the forecaster's one-step forecast -> residual score in
/// robust scales -> calibrated probability -> per-rule threshold, direction and duration -> events.
/// </summary>
internal sealed class SeriesDetector
{
    private readonly DetectionOptions _options;
    private readonly IThresholdSource _thresholds;
    private readonly RobustScale _scale;
    private readonly RescaledTailCalibrator _calibrator;
    private readonly TailProbabilityCalibrator? _sustained;
    private readonly RecurrenceMemory? _recurrence;
    private readonly DeviationMemory? _deviations;
    private readonly SeenWindow _sustainedSeen;
    private readonly ExcusedExcursion _excursion = new();
    private readonly FlatlineMemory? _flatline;
    private readonly double _flatlineSurprise;
    private readonly (AlarmRuleOptions Options, AlarmRule State)[] _rules;
    private readonly EventTracker _events;
    private double _levelSum;
    private long _levelCount;

    public SeriesDetector(string seriesKey, DetectionOptions options, IThresholdSource thresholds)
    {
        _options = options;
        _thresholds = thresholds;
        _scale = new RobustScale(options.Scoring.ScaleWindow, options.Scoring.MinOnlineResiduals, options.Scoring.StdFloorFraction);
        _calibrator = new RescaledTailCalibrator(options.Scoring.ShortWindow, options.Scoring.LongWindow);
        _sustained = options.Scoring.SustainedWindow > 0 ? new TailProbabilityCalibrator(options.Scoring.SustainedWindow, options.Scoring.LongWindow) : null;
        _sustainedSeen = new SeenWindow(Math.Max(1, options.Scoring.SustainedWindow));
        _recurrence = options.Scoring.RecurrenceLookback > TimeSpan.Zero
            ? new RecurrenceMemory(options.Scoring.RecurrenceLookback, options.Scoring.RecurrenceTolerance, options.Scoring.RecurrenceRepeats)
            : null;
        _deviations = options.Scoring.DeviationMemoryPoints > 0
            ? new DeviationMemory(options.Scoring.DeviationMemoryPoints, options.Scoring.DeviationMemoryExclusion, options.Scoring.DeviationMemoryTolerance)
            : null;
        _flatline = options.Scoring.FlatlineMinPoints > 0
            ? new FlatlineMemory(options.Scoring.FlatlineMemoryPoints, options.Scoring.FlatlineMinPoints)
            : null;
        _flatlineSurprise = NormalQuantile.Of(options.Scoring.FlatlineProbability);
        _rules = options.EffectiveRules.Select(r => (r, new AlarmRule(r))).ToArray();
        _events = new EventTracker(seriesKey, options.Events, options.Severity);
    }

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
        _levelSum += Math.Abs(value);
        _levelCount++;
        var residual = value - expected;
        var floor = _options.Scoring.RelativeScaleFloor * Math.Max(_levelSum / _levelCount, 1e-9);
        if (priming && _scale.Count < _options.Scoring.MinOnlineResiduals)
        {
            // The history's own residuals set the scale before any is scored: the adaptation's in-sample scale would
            // understate them.
            _scale.Add(residual);
            return null;
        }
        var scale = Math.Max(_scale.Current(priming ? double.NaN : forecast.ResidualScale), floor);
        if (!double.IsFinite(scale))
        {
            scale = floor;
        }
        var score = residual / scale;
        var deviate = TailProbabilityCalibrator.Deviate(Math.Abs(score));
        var notable = deviate >= _options.Scoring.NotableDeviate;
        var recurring = _recurrence is not null && notable
            && _recurrence.ReferenceAt(timestamp) >= _options.Scoring.RecurrenceRatio * deviate;
        if (deviate >= _options.Scoring.RecurrenceRatio * _options.Scoring.NotableDeviate)
        {
            _recurrence?.Add(timestamp, deviate);
        }
        var seen = notable && _deviations?.Seen(expected, value) == true;
        var returns = notable && !seen && !recurring && _excursion.Returns(value, expected, scale, _options.Scoring.NotableDeviate);
        _excursion.Observe(seen || recurring, expected);
        seen |= returns;
        _deviations?.Add(expected, value, notable);
        var surprise = recurring ? _calibrator.ObserveOrdinary(scale) : _calibrator.Observe(Math.Abs(residual), scale);
        var discount = _options.Scoring.SeenDeviationDiscount;
        if (seen)
        {
            surprise /= discount;
        }
        if (_sustained is not null)
        {
            var sustained = recurring ? _sustained.ObserveOrdinary() : _sustained.Observe(deviate);
            _sustainedSeen.Add(notable, seen);
            surprise = Math.Max(surprise, _sustainedSeen.AllSeen ? sustained / discount : sustained);
        }
        if (_flatline?.Add(value) == true)
        {
            surprise = Math.Max(surprise, _flatlineSurprise);
        }
        var probability = TailProbabilityCalibrator.NormalCdf(surprise);
        var scored = !priming && _calibrator.Seen > _options.Scoring.WarmupPoints;

        string? firedRule = null;
        var threshold = _options.EffectiveRules[0].Threshold;
        foreach (var (ruleOptions, rule) in _rules)
        {
            var ruleThreshold = _thresholds.ThresholdFor(clusterId, ruleOptions);
            if (rule.Observe(scored ? probability : 0, score, ruleThreshold) && firedRule is null)
            {
                firedRule = rule.Name;
                threshold = ruleThreshold;
            }
        }
        var anomalous = firedRule is not null;
        if (!anomalous)
        {
            _scale.Add(residual);
        }
        var point = new ScoredPoint(timestamp, value, expected, scale, score, scored ? probability : 0, scored ? surprise : 0, scored, anomalous, firedRule, threshold);
        return (point, priming ? null : _events.Observe(point, clusterId, now));
    }
}
