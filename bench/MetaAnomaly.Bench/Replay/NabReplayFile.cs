using MetaAnomaly.Detection.Evaluation;
using MetaAnomaly.Detection.Scoring;
using MetaAnomaly.Shared.Series;

namespace MetaAnomaly.Bench.Replay;

/// <summary>
/// One NAB file as a series of the replayed instance: its rows moved by whole weeks to start in the replay's first
/// week (weekday and time of day kept), and the product's scored points mapped back onto its rows.
/// </summary>
internal sealed class NabReplayFile
{
    private readonly DateTimeOffset[] _replayed;
    private readonly TimeSpan _halfSpacing;
    private readonly TimeSpan _shift;

    private NabReplayFile(string name, DateTime[] timestamps, double[] values, TimeSpan shift)
    {
        Name = name;
        Timestamps = timestamps;
        Values = values;
        Key = new SeriesKey("nab", [new("file", name)], "value");
        _shift = shift;
        _replayed = timestamps.Select(t => new DateTimeOffset(t, TimeSpan.Zero) + shift).ToArray();
        var spacings = _replayed.Skip(1).Zip(_replayed, (later, earlier) => later - earlier).Order().ToArray();
        _halfSpacing = spacings.Length > 0 ? spacings[spacings.Length / 2] / 2 : TimeSpan.Zero;
    }

    public string Name { get; }

    public SeriesKey Key { get; }

    /// <summary>The file's own timestamps (NAB's windows and results use them).</summary>
    public DateTime[] Timestamps { get; }

    public double[] Values { get; }

    /// <summary>The last row's time in the replay.</summary>
    public DateTimeOffset ReplayedEnd => _replayed[^1];

    public static NabReplayFile Read(NabCorpus corpus, string name, DateTimeOffset replayWeek)
    {
        var (timestamps, values) = corpus.ReadData(name);
        var start = new DateTimeOffset(timestamps[0], TimeSpan.Zero);
        var weeks = Math.Floor((replayWeek - start).TotalDays / 7);
        var shift = TimeSpan.FromDays(7 * weeks);
        if (start + shift < replayWeek)
        {
            shift += TimeSpan.FromDays(7);
        }
        return new NabReplayFile(name, timestamps, values, shift);
    }

    /// <summary>A replayed time as the file's own timestamp (the time NAB's windows are in).</summary>
    public DateTime FileTime(DateTimeOffset replayed) => (replayed - _shift).UtcDateTime;

    /// <summary>The rows as points of the series, at their replayed times.</summary>
    public IEnumerable<DataPoint> Points() => _replayed.Select((t, i) => new DataPoint(Key, t, Values[i]));

    /// <summary>
    /// Each row's <paramref name="score"/> of the point the product scored in its slot (the row nearest the slot's time,
    /// within half the file's median spacing); 0 for rows it never scored (probation, warm-up, gaps).
    /// </summary>
    public double[] RowScores(IReadOnlyList<ScoredPoint> points, Func<ScoredPoint, double> score)
    {
        var scores = new double[Values.Length];
        for (var p = 0; p < points.Count; p++)
        {
            var at = points[p].Timestamp;
            var index = Array.BinarySearch(_replayed, at);
            var row = index >= 0 ? index : Nearest(~index, at);
            if (row >= 0 && (_replayed[row] - at).Duration() <= _halfSpacing)
            {
                scores[row] = score(points[p]);
            }
        }
        return scores;
    }

    private int Nearest(int insertion, DateTimeOffset at)
    {
        if (insertion == 0)
        {
            return _replayed.Length > 0 ? 0 : -1;
        }
        if (insertion >= _replayed.Length)
        {
            return _replayed.Length - 1;
        }
        return at - _replayed[insertion - 1] <= _replayed[insertion] - at ? insertion - 1 : insertion;
    }
}
