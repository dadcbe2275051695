using MetaAnomaly.Detection.Events;
using MetaAnomaly.Detection.Webhooks;

namespace MetaAnomaly.Detection.Muting;

/// <summary>
/// A maintenance window: while it covers an event's start, the event is stored and shown but no webhook is sent for it.
/// Its scope is every series (no pattern and no cluster), the series whose key matches <paramref name="SeriesPattern"/>
/// (a glob, <c>*</c> any text, as webhook filters), or the series of <paramref name="ClusterId"/>; with both, a series
/// must match both. Times are data times (the series' own timestamps, UTC), the axis the chart shades it on.
/// </summary>
public sealed record MaintenanceWindow(
    long Id,
    string Name,
    string? SeriesPattern,
    string? ClusterId,
    DateTimeOffset Start,
    DateTimeOffset End,
    MaintenanceRecurrence Recurrence,
    string? CreatedBy,
    DateTimeOffset CreatedAt)
{
    public bool Applies(string seriesKey, string? clusterId) =>
        (string.IsNullOrWhiteSpace(SeriesPattern) || WebhookTarget.SeriesMatches(SeriesPattern, seriesKey))
        && (string.IsNullOrWhiteSpace(ClusterId) || string.Equals(ClusterId, clusterId, StringComparison.Ordinal));

    public bool Covers(AnomalyEvent anomaly) => Applies(anomaly.SeriesKey, anomaly.ClusterId) && Covers(anomaly.Start);

    public bool Covers(DateTimeOffset time) => Occurrences(time, time).Any();

    /// <summary>The occurrences that overlap [<paramref name="from"/>, <paramref name="to"/>], in time order.</summary>
    public IEnumerable<(DateTimeOffset Start, DateTimeOffset End)> Occurrences(DateTimeOffset from, DateTimeOffset to)
    {
        var length = End - Start;
        if (Period is not { } period)
        {
            if (Start <= to && End > from)
            {
                yield return (Start, End);
            }
            yield break;
        }
        var first = from <= Start ? 0 : (long)Math.Floor((from - Start - length) / period) + 1;
        for (var n = Math.Max(0, first); Start + period * n <= to; n++)
        {
            var start = Start + period * n;
            if (start + length > from)
            {
                yield return (start, start + length);
            }
        }
    }

    private TimeSpan? Period => Recurrence switch
    {
        MaintenanceRecurrence.Daily => TimeSpan.FromDays(1),
        MaintenanceRecurrence.Weekly => TimeSpan.FromDays(7),
        _ => null,
    };
}
