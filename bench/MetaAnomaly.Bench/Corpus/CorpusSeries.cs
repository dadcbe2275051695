using MetaAnomaly.Shared.Statistics;

namespace MetaAnomaly.Bench.Corpus;

/// <summary>
/// One series of the corpus before it is written: where it came from (<see cref="Family"/>), its rows, and its own
/// robust noise scale, the unit every injected anomaly's size is given in.
/// </summary>
internal sealed class CorpusSeries
{
    public CorpusSeries(string name, string family, DateTime[] timestamps, double[] values)
    {
        Name = name;
        Family = family;
        Timestamps = timestamps;
        Values = values;
        Scale = RobustNoiseScale(values);
        NonNegative = values.All(v => v >= 0);
    }

    /// <summary>The file name without extension, unique in the corpus (<c>m4_H12</c>, <c>bursty_counts_3</c>).</summary>
    public string Name { get; }

    public string Family { get; }

    public DateTime[] Timestamps { get; private set; }

    public double[] Values { get; private set; }

    /// <summary>
    /// The series' robust noise scale: 1.4826 MAD of its first differences / sqrt(2), the standard deviation of its
    /// point-to-point noise when that is normal, untouched by seasonality and outliers. A series whose differences are
    /// mostly zero (a constant, a count at zero all night) falls back to their standard deviation, then to 1 % of its
    /// mean absolute level, then to 1.
    /// </summary>
    public double Scale { get; }

    public bool NonNegative { get; }

    public int Count => Values.Length;

    public double Min => Values.Min();

    public double Max => Values.Max();

    /// <summary>The last row at or before <paramref name="time"/> (the first row when none is).</summary>
    public int RowAtOrBefore(DateTime time)
    {
        var index = Array.BinarySearch(Timestamps, time);
        return Math.Max(index >= 0 ? index : ~index - 1, 0);
    }

    /// <summary>Keeps only the rows <paramref name="keep"/> says (gaps; a file that ends at a failure).</summary>
    public void KeepRows(Func<int, bool> keep)
    {
        var rows = Enumerable.Range(0, Count).Where(keep).ToArray();
        Timestamps = rows.Select(i => Timestamps[i]).ToArray();
        Values = rows.Select(i => Values[i]).ToArray();
    }

    private static double RobustNoiseScale(double[] values)
    {
        var differences = values.Skip(1).Zip(values, (later, earlier) => later - earlier).ToArray();
        if (differences.Length == 0)
        {
            return 1;
        }
        var mean = differences.Average();
        var std = Math.Sqrt(differences.Sum(d => (d - mean) * (d - mean)) / differences.Length);
        var mad = RobustStatistics.MadScale(differences.ToArray());
        var scale = mad > 0 ? mad : std;
        if (scale > 0)
        {
            return scale / Math.Sqrt(2);
        }
        var level = values.Average(Math.Abs);
        return level > 0 ? 0.01 * level : 1;
    }
}
