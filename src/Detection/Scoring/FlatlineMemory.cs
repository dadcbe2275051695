namespace MetaAnomaly.Detection.Scoring;

/// <summary>
/// The runs of one exactly repeated value in a series' latest points, so that a series stuck for longer than it has been
/// in its memory is told apart from one that is merely quiet: a writer that stopped, an exporter that froze, a counter
/// that no longer moves. A forecaster follows a flat line perfectly, so its residuals cannot see this.
/// </summary>
/// <remarks>
/// The record is the longest run that ended within the latest <c>capacity</c> points, kept in a deque of strictly
/// decreasing lengths (constant time per point). The record is trusted once the memory has seen <c>capacity</c> points:
/// "longer than ever this week" needs a week. A series that has never changed has no record and is never stuck: flat is
/// all it has shown.
/// </remarks>
internal sealed class FlatlineMemory(int capacity, int minPoints)
{
    /// <summary>
    /// Runs that must have ended within the memory before its record is trusted: a new run is the longest of N + 1 by
    /// chance once in N + 1, so among 100 it breaks the record at most 1 % of the time. A gauge that steps a few times
    /// a week (a replica count) and a square wave never trip it. The memory's first run may have begun before the
    /// memory did; its length, a lower bound, still counts.
    /// </summary>
    private const int MinRuns = 100;

    private readonly LinkedList<(long End, int Length)> _records = new();
    private readonly Queue<long> _ends = new();
    private long _count;
    private double _value = double.NaN;
    private int _run;

    /// <summary>Adds one point; true while the current run is longer than both the record and the minimum.</summary>
    public bool Add(double value)
    {
        _count++;
        if (value.Equals(_value))
        {
            _run++;
        }
        else
        {
            if (_run > 0)
            {
                Remember(_count - 1, _run);
            }
            _value = value;
            _run = 1;
        }
        while (_records.First is { } oldest && oldest.Value.End <= _count - capacity)
        {
            _records.RemoveFirst();
        }
        var trusted = _count >= capacity && _ends.Count == MinRuns && _ends.Peek() > _count - capacity;
        return trusted && _records.First is { } record && _run > Math.Max(record.Value.Length, minPoints);
    }

    private void Remember(long end, int length)
    {
        _ends.Enqueue(end);
        if (_ends.Count > MinRuns)
        {
            _ends.Dequeue();
        }
        while (_records.Last is { } shorter && shorter.Value.Length <= length)
        {
            _records.RemoveLast();
        }
        _records.AddLast((end, length));
    }
}
