using MetaAnomaly.Detection.Scoring;
using MetaAnomaly.Shared.Statistics;
using MetaAnomaly.Shared.Telemetry;

namespace MetaAnomaly.Detection.Events;

/// <summary>
/// Merges one series' anomalous points into events: consecutive anomalous points extend the open event, a repeat
/// within the cool-down after an event reopens it (suppressed: no new alert, unless its severity rises a band: an
/// escalation), and the event closes after <see cref="EventOptions.ReturnToNormalPoints"/> normal points.
/// </summary>
internal sealed class EventTracker(string seriesKey, EventOptions options, SeverityOptions severity)
{
    private AnomalyEvent? _current;
    private int _normalRun;

    public EventChange? Observe(ScoredPoint point, string? clusterId, DateTimeOffset now)
    {
        if (point.Anomalous)
        {
            _normalRun = 0;
            if (_current is { } current && (current.Open || point.Timestamp - current.End <= options.CoolDown))
            {
                _current = Extend(current, point);
                return new EventChange(_current.Severity > current.Severity ? EventChangeKind.Escalated : EventChangeKind.Extended, _current);
            }
            _current = Start(point, clusterId, now);
            ProductMetrics.EventOpened();
            return new EventChange(EventChangeKind.Opened, _current);
        }
        if (_current is { Open: true } open && ++_normalRun >= options.ReturnToNormalPoints)
        {
            _current = open with { Open = false };
            return new EventChange(EventChangeKind.Closed, _current);
        }
        return null;
    }

    private AnomalyEvent Start(ScoredPoint point, string? clusterId, DateTimeOffset now)
    {
        var halfBand = point.Scale * BandZ(point);
        return new AnomalyEvent(
            0, seriesKey, clusterId, point.Timestamp, point.Timestamp, point.Timestamp, point.Value, point.Forecast,
            point.Forecast - halfBand, point.Forecast + halfBand, point.Score, point.Probability,
            severity.Of(AnomalyScore.FromSurprise(point.Surprise)), point.Direction, point.Rule ?? "", true, 1, AnomalyFeedbackKind.None, now,
            point.Reason, point.Surprise);
    }

    private AnomalyEvent Extend(AnomalyEvent current, ScoredPoint point)
    {
        var extended = current with
        {
            End = point.Timestamp,
            Open = true,
            Points = current.Points + 1,
            Probability = Math.Max(current.Probability, point.Probability),
            Surprise = Math.Max(current.Surprise ?? 0, point.Surprise),
        };
        extended = extended with { Severity = severity.Of(extended.AnomalyScore) };
        if (Math.Abs(point.Score) > Math.Abs(current.Score))
        {
            var halfBand = point.Scale * BandZ(point);
            extended = extended with
            {
                Peak = point.Timestamp,
                Value = point.Value,
                Forecast = point.Forecast,
                BandLower = point.Forecast - halfBand,
                BandUpper = point.Forecast + halfBand,
                Score = point.Score,
                Direction = point.Direction,
                Reason = point.Reason,
            };
        }
        return extended;
    }

    /// <summary>The band's half-width in scales: the z whose two-sided normal tail matches the rule's threshold.</summary>
    private static double BandZ(ScoredPoint point) => NormalQuantile.Of(0.5 + 0.5 * point.Threshold);
}
