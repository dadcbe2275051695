using System.Collections.Concurrent;
using MetaAnomaly.Detection.Events;
using MetaAnomaly.Detection.PostRules;
using MetaAnomaly.Shared.Forecasts;
using MetaAnomaly.Shared.Series;

namespace MetaAnomaly.Detection.Scoring;

/// <summary>
/// The detector for every series: keeps each series' pipeline state and turns (point, forecast) pairs into scored
/// points and event changes. Synchronous and free of I/O, so the live service and the NAB evaluation run the same code.
/// Composed by <c>AddDetection</c> (or <c>DetectionExtensions.CreateDetector</c> outside a host).
/// </summary>
public sealed class AnomalyDetector
{
    private readonly DetectionOptions _options;
    private readonly IPostRuleFactory[] _rules;
    private readonly TimeProvider _time;
    private readonly ConcurrentDictionary<SeriesKey, SeriesDetector> _series = new();

    internal AnomalyDetector(DetectionOptions options, IEnumerable<IPostRuleFactory> rules, TimeProvider time)
    {
        _options = options;
        _rules = rules.ToArray();
        _time = time;
    }

    /// <summary>Timestamp of the last point scored for the series, or null when none was.</summary>
    public DateTimeOffset? LastScored(SeriesKey key) => _series.TryGetValue(key, out var s) ? s.LastScored : null;

    /// <summary>Drops the series' state (its series left this node): a later point starts it afresh.</summary>
    public void Forget(SeriesKey key) => _series.TryRemove(key, out _);

    /// <inheritdoc cref="SeriesDetector.Observe"/>
    public (ScoredPoint Point, EventChange? Change)? Observe(
        SeriesKey key, DateTimeOffset timestamp, double value, OneStepForecast forecast, string? clusterId) =>
        DetectorOf(key).Observe(timestamp, value, forecast, clusterId, _time.GetUtcNow());

    /// <summary>
    /// Teaches the series' detector one point of its stored history (see <see cref="DetectionOptions.PrimingPoints"/>):
    /// scored like a new point against the forecast's anchor, but never anomalous, and no event changes. Null when
    /// nothing was scored (a value or forecast that is not finite, or one of the first points, which only set the scale).
    /// </summary>
    public ScoredPoint? Prime(SeriesKey key, DateTimeOffset timestamp, double value, OneStepForecast forecast, string? clusterId) =>
        DetectorOf(key).Observe(timestamp, value, forecast, clusterId, _time.GetUtcNow(), priming: true)?.Point;

    /// <summary>
    /// One input as the scoring cycle gives it: <see cref="Prime"/> for a priming point (its point, never an event
    /// change), else <see cref="Observe"/>.
    /// </summary>
    public (ScoredPoint Point, EventChange? Change)? Feed(DetectorInput input) =>
        input.Priming
            ? Prime(input.Key, input.Timestamp, input.Value, input.Forecast, input.ClusterId) is { } primed ? (primed, null) : null
            : Observe(input.Key, input.Timestamp, input.Value, input.Forecast, input.ClusterId);

    private SeriesDetector DetectorOf(SeriesKey key) => _series.GetOrAdd(key, k => new SeriesDetector(
        new ResidualScorer(_options.Scoring),
        _rules.Select(f => f.Create(k)).OfType<IPostRule>().ToArray(),
        new EventTracker(k.ToString(), _options.Events, _options.Severity)));
}
