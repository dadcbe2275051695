using System.Collections.Concurrent;
using MetaAnomaly.Detection.Events;
using MetaAnomaly.Shared.Forecasts;
using MetaAnomaly.Shared.Series;
using Microsoft.Extensions.Options;

namespace MetaAnomaly.Detection.Scoring;

/// <summary>
/// The anomalies the next adaptation must not learn as normal: confirmed events, and unreviewed events whose
/// probability reached <see cref="DetectionOptions.MaskProbability"/>. Dismissed events are learned as normal.
/// </summary>
internal sealed class AnomalyAdaptationMask(IOptions<DetectionOptions> options) : IAdaptationMask
{
    private readonly ConcurrentDictionary<string, ConcurrentDictionary<DateTimeOffset, TimeInterval>> _masked = new(StringComparer.Ordinal);

    public IReadOnlyList<TimeInterval> MaskedIntervals(SeriesKey key, DateTimeOffset from, DateTimeOffset to) =>
        _masked.TryGetValue(key.ToString(), out var intervals)
            ? intervals.Values.Where(i => i.End >= from && i.Start <= to).OrderBy(i => i.Start).ToArray()
            : [];

    /// <summary>
    /// Adds, updates or removes the event's interval according to its probability and feedback. Events are identified
    /// by series and start, as in the store, so unsaved events (the NAB replay) are tracked too.
    /// </summary>
    public void Track(AnomalyEvent anomaly)
    {
        var intervals = _masked.GetOrAdd(anomaly.SeriesKey, _ => new ConcurrentDictionary<DateTimeOffset, TimeInterval>());
        var masked = anomaly.Feedback switch
        {
            AnomalyFeedbackKind.Confirmed => true,
            AnomalyFeedbackKind.Dismissed => false,
            _ => anomaly.Probability >= options.Value.MaskProbability,
        };
        if (masked)
        {
            intervals[anomaly.Start] = new TimeInterval(anomaly.Start, anomaly.End);
        }
        else
        {
            intervals.TryRemove(anomaly.Start, out _);
        }
    }
}
