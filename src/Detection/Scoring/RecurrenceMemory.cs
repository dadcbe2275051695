namespace MetaAnomaly.Detection.Scoring;

/// <summary>
/// Remembers one series' deviates for a few lookbacks (days) so that a deviation which already happened at about the
/// same time of day on each of the last days is recognised as recurring: a nightly batch job or cron spike alerts on
/// the first nights, not every night.
/// </summary>
/// <remarks>
/// The reference of a point at time t is the largest deviate seen in [t - lookback - tolerance, t - lookback +
/// tolerance]; the tolerance absorbs the jitter of scheduled jobs. Time, not slots, so gaps and irregular steps do
/// not shift the comparison. The caller adds only deviates large enough to make a later point recurring, so memory
/// holds the few large deviations of the last lookbacks.
/// </remarks>
internal sealed class RecurrenceMemory(TimeSpan lookback, TimeSpan tolerance, int repeats)
{
    private readonly List<(DateTimeOffset Time, double Deviate)> _points = [];

    /// <summary>
    /// The smallest, over k = 1..repeats, of the largest deviate within the tolerance of k lookbacks before
    /// <paramref name="time"/>: how large a deviation was at this time of day on every one of the last days; 0 when none.
    /// </summary>
    public double ReferenceAt(DateTimeOffset time)
    {
        var reference = double.MaxValue;
        for (var k = 1; k <= repeats; k++)
        {
            var from = time - k * lookback - tolerance;
            var to = time - k * lookback + tolerance;
            var largest = 0.0;
            foreach (var (at, deviate) in _points)
            {
                if (at > to)
                {
                    break;
                }
                if (at >= from)
                {
                    largest = Math.Max(largest, deviate);
                }
            }
            reference = Math.Min(reference, largest);
        }
        return reference;
    }

    /// <summary>Adds a deviate (in time order) and forgets those too old to matter for any later point.</summary>
    public void Add(DateTimeOffset time, double deviate)
    {
        _points.Add((time, deviate));
        var oldest = time - repeats * lookback - tolerance;
        var stale = _points.FindIndex(p => p.Time >= oldest);
        _points.RemoveRange(0, stale < 0 ? _points.Count : stale);
    }
}
