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
/// so only the detector's settings differ. Only stored points are replayed (<see cref="DetectionOptions.ScoreRetention"/>);
/// the result says how much of the range they cover.
/// </summary>
public sealed class AlertPreview
{
    private readonly IAnomalyStore _store;
    private readonly FeedbackThresholds _feedback;
    private readonly IOneStepForecaster _forecaster;
    private readonly SensitivityStore _sensitivities;
    private readonly IOptions<DetectionOptions> _options;
    private readonly TimeProvider _time;

    internal AlertPreview(
        IAnomalyStore store, FeedbackThresholds feedback, IOneStepForecaster forecaster, SensitivityStore sensitivities,
        IOptions<DetectionOptions> options, TimeProvider time)
    {
        _store = store;
        _feedback = feedback;
        _forecaster = forecaster;
        _sensitivities = sensitivities;
        _options = options;
        _time = time;
    }

    public async Task<AlertPreviewResult> RunAsync(
        SeriesKey series, AlertSensitivity sensitivity, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken) =>
        (await ReplayAsync(series, _forecaster.StateOf(series).ClusterId, sensitivity, from, to, cancellationToken)).Result;

    /// <summary>
    /// The preview of setting <paramref name="sensitivity"/> on a cluster: every member replayed at the sensitivity it
    /// would apply (a member's own setting wins), the would-be alerts summed per UTC day of the range.
    /// </summary>
    public async Task<ClusterAlertPreviewResult> RunClusterAsync(
        string clusterId, IReadOnlyList<SeriesKey> members, AlertSensitivity sensitivity, DateTimeOffset from, DateTimeOffset to,
        CancellationToken cancellationToken)
    {
        var replays = new List<(MemberAlertPreview Member, Replay Replay)>(members.Count);
        foreach (var member in members)
        {
            var own = _sensitivities.EffectiveFor(member, clusterId) is { SetOn: SensitivityScope.Series } setting ? setting.Sensitivity : (AlertSensitivity?)null;
            var replay = await ReplayAsync(member, clusterId, own ?? sensitivity, from, to, cancellationToken);
            replays.Add((new MemberAlertPreview(member.ToString(), own ?? sensitivity, own is not null, replay.Result.ReplayedPoints, replay.Result.Alerts), replay));
        }
        var perDay = new List<DailyAlertCount>();
        for (var day = DateOnly.FromDateTime(from.UtcDateTime); day <= DateOnly.FromDateTime(to.UtcDateTime); day = day.AddDays(1))
        {
            perDay.Add(new DailyAlertCount(
                day,
                replays.Sum(r => r.Replay.PointsPerDay.GetValueOrDefault(day)),
                replays.Sum(r => r.Member.Alerts.Count(a => DateOnly.FromDateTime(a.Start.UtcDateTime) == day))));
        }
        return new ClusterAlertPreviewResult(
            clusterId, sensitivity, from, to,
            PreviewCoverage.Combine(_options.Value.ScoreRetention, from, to, replays.Select(r => r.Replay.Result.Coverage)),
            replays.Select(r => r.Member).OrderByDescending(m => m.Alerts.Count).ThenBy(m => m.SeriesKey, StringComparer.Ordinal).ToArray(),
            perDay);
    }

    private async Task<Replay> ReplayAsync(
        SeriesKey series, string? clusterId, AlertSensitivity sensitivity, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken)
    {
        var options = _options.Value;
        var thresholds = new SensitiveThresholds(_feedback, (_, _) => sensitivity);
        var detector = DetectionExtensions.CreateDetector(options, thresholds, _time);
        var stored = await _store.ScoresAsync(series, from - options.ScoreRetention, to, cancellationToken);

        var priming = stored.Where(p => p.Timestamp < from).TakeLast(options.PrimingPoints).ToArray();
        foreach (var point in priming)
        {
            detector.Prime(series, point.Timestamp, point.Value, ServedForecast(series, point.Forecast, point.Scale), clusterId);
        }
        var replayed = stored.Where(p => p.Timestamp >= from).ToArray();
        var opened = new Dictionary<DateTimeOffset, AnomalyEvent>();
        foreach (var point in replayed)
        {
            if (detector.Observe(series, point.Timestamp, point.Value, ServedForecast(series, point.Forecast, point.Scale), clusterId) is { Change: { } change }
                && (change.Kind == EventChangeKind.Opened || opened.ContainsKey(change.Event.Start)))
            {
                opened[change.Event.Start] = change.Event;
            }
        }
        var result = new AlertPreviewResult(
            series.ToString(), sensitivity, thresholds.ThresholdFor(series, clusterId, options.EffectiveRules[0]), from, to,
            priming.Length, replayed.Length,
            PreviewCoverage.Of(options.ScoreRetention, from, to, replayed.Length > 0 ? replayed[0].Timestamp : null),
            opened.Values.OrderBy(e => e.Start).Select(PreviewAlert.Of).ToArray());
        return new Replay(result, replayed.CountBy(p => DateOnly.FromDateTime(p.Timestamp.UtcDateTime)).ToDictionary());
    }

    private static OneStepForecast ServedForecast(SeriesKey series, double forecast, double scale) => new(series, true, forecast, scale, null);

    private sealed record Replay(AlertPreviewResult Result, IReadOnlyDictionary<DateOnly, int> PointsPerDay);
}
