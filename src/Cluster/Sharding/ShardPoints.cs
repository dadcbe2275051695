using MetaAnomaly.Shared.Series;

namespace MetaAnomaly.Cluster.Sharding;

/// <summary>
/// Points of one shard as they travel between silos: the series' canonical keys, how many points of each follow in
/// order, and their UTC ticks and values.
/// </summary>
[GenerateSerializer, Immutable, Alias("MetaAnomaly.ShardPoints")]
public sealed record ShardPoints(
    [property: Id(0)] string[] Series,
    [property: Id(1)] int[] Counts,
    [property: Id(2)] long[] Ticks,
    [property: Id(3)] double[] Values)
{
    public int Length => Ticks.Length;

    /// <summary>Groups points by series, keeping each series' points in arrival order.</summary>
    public static ShardPoints Of(IEnumerable<DataPoint> points)
    {
        var bySeries = new Dictionary<SeriesKey, List<DataPoint>>();
        foreach (var point in points)
        {
            if (!bySeries.TryGetValue(point.Key, out var list))
            {
                bySeries[point.Key] = list = [];
            }
            list.Add(point);
        }
        var series = new string[bySeries.Count];
        var counts = new int[bySeries.Count];
        var total = bySeries.Values.Sum(l => l.Count);
        var ticks = new long[total];
        var values = new double[total];
        int s = 0, i = 0;
        foreach (var (key, list) in bySeries)
        {
            series[s] = key.ToString();
            counts[s++] = list.Count;
            foreach (var point in list)
            {
                ticks[i] = point.Timestamp.UtcTicks;
                values[i++] = point.Value;
            }
        }
        return new ShardPoints(series, counts, ticks, values);
    }

    /// <summary>The points back, with each series key made once by <paramref name="keyOf"/>.</summary>
    public DataPoint[] ToDataPoints(Func<string, SeriesKey> keyOf)
    {
        var points = new DataPoint[Length];
        var i = 0;
        for (var s = 0; s < Series.Length; s++)
        {
            var key = keyOf(Series[s]);
            for (var n = 0; n < Counts[s]; n++, i++)
            {
                points[i] = new DataPoint(key, new DateTimeOffset(Ticks[i], TimeSpan.Zero), Values[i]);
            }
        }
        return points;
    }
}
