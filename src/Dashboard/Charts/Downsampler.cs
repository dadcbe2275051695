namespace MetaAnomaly.Dashboard.Charts;

/// <summary>
/// Server-side downsampling for wide ranges: the points are cut into buckets and each bucket keeps its lowest and
/// highest value (in time order), so spikes and dips survive while the browser receives at most
/// <c>maxPoints</c> points. Gaps (NaN) stay gaps.
/// </summary>
public static class Downsampler
{
    public static (DateTimeOffset[] X, double[] Y) MinMax(IReadOnlyList<DateTimeOffset> x, IReadOnlyList<double> y, int maxPoints)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxPoints, 4);
        if (x.Count != y.Count)
        {
            throw new ArgumentException("x and y differ in length.", nameof(y));
        }
        if (x.Count <= maxPoints)
        {
            return (x.ToArray(), y.ToArray());
        }
        var buckets = maxPoints / 2;
        var keptX = new List<DateTimeOffset>(maxPoints);
        var keptY = new List<double>(maxPoints);
        for (var b = 0; b < buckets; b++)
        {
            var start = (int)((long)b * x.Count / buckets);
            var end = (int)((long)(b + 1) * x.Count / buckets);
            int low = -1, high = -1;
            for (var i = start; i < end; i++)
            {
                if (double.IsNaN(y[i]))
                {
                    continue;
                }
                if (low < 0 || y[i] < y[low])
                {
                    low = i;
                }
                if (high < 0 || y[i] > y[high])
                {
                    high = i;
                }
            }
            if (low < 0)
            {
                keptX.Add(x[start]);
                keptY.Add(double.NaN);
                continue;
            }
            foreach (var i in low == high ? [low] : low < high ? new[] { low, high } : [high, low])
            {
                keptX.Add(x[i]);
                keptY.Add(y[i]);
            }
        }
        return (keptX.ToArray(), keptY.ToArray());
    }
}
