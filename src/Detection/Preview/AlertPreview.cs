using MetaAnomaly.Detection.Events;
using MetaAnomaly.Detection.Extensions;
using MetaAnomaly.Detection.Feedback;
using MetaAnomaly.Detection.Sensitivity;
using MetaAnomaly.Detection.Storage;
using MetaAnomaly.Shared.Forecasts;
using MetaAnomaly.Shared.Series;
using Microsoft.Extensions.Options;

namespace MetaAnomaly.Detection.Preview;

/// <summary>
/// "What would have alerted": replays a series' stored points (value, the one-step forecast that scored it, its scale)
/// through a fresh detector composed as the live one (<see cref="DetectionExtensions.CreateDetector"/>), with the
/// chosen sensitivity in place of the operators' settings. The detector is first primed, as at a start, on up to
/// <see cref="DetectionOptions.PrimingPoints"/> stored points before the range; the forecasts are the ones served live,
/// so only the detector's settings differ.
/// </summary>
public sealed class AlertPreview
{
    private readonly IAnomalyStore _store;
    private readonly FeedbackThresholds _feedback;
    private readonly IOneStepForecaster _forecaster;
    private readonly IOptions<DetectionOptions> _options;
    private readonly TimeProvider _time;

    internal AlertPreview(IAnomalyStore store, FeedbackThresholds feedback, IOneStepForecaster forecaster, IOptions<DetectionOptions> options, TimeProvider time)
    {
        _store = store;
        _feedback = feedback;
        _forecaster = forecaster;
        _options = options;
        _time = time;
    }

    public async Task<AlertPreviewResult> RunAsync(
        SeriesKey series, AlertSensitivity sensitivity, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken)
    {
        var options = _options.Value;
        var clusterId = _forecaster.StateOf(series).ClusterId;
        var thresholds = new SensitiveThresholds(_feedback, (_, _) => sensitivity);
        var detector = DetectionExtensions.CreateDetector(options, thresholds, _time);
        var stored = await _store.ScoresAsync(series, from - options.ScoreRetention, to, cancellationToken);

        var priming = stored.Where(p => p.Timestamp < from).TakeLast(options.PrimingPoints).ToArray();
        foreach (var point in priming)
        {
            detector.Prime(series, point.Timestamp, point.Value, ServedForecast(series, point.Forecast, point.Scale), clusterId);
        }
        var replayed = 0;
        var opened = new Dictionary<DateTimeOffset, AnomalyEvent>();
        foreach (var point in stored.Where(p => p.Timestamp >= from))
        {
            replayed++;
            if (detector.Observe(series, point.Timestamp, point.Value, ServedForecast(series, point.Forecast, point.Scale), clusterId) is { Change: { } change }
                && (change.Kind == EventChangeKind.Opened || opened.ContainsKey(change.Event.Start)))
            {
                opened[change.Event.Start] = change.Event;
            }
        }
        return new AlertPreviewResult(
            series.ToString(), sensitivity, thresholds.ThresholdFor(series, clusterId, options.EffectiveRules[0]), from, to,
            priming.Length, replayed, opened.Values.OrderBy(e => e.Start).Select(PreviewAlert.Of).ToArray());
    }

    private static OneStepForecast ServedForecast(SeriesKey series, double forecast, double scale) => new(series, true, forecast, scale, null);
}
