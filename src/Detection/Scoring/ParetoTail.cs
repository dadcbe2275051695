using MetaAnomaly.Shared.Statistics;

namespace MetaAnomaly.Detection.Scoring;

/// <summary>
/// Peaks over threshold (Siffer, Fouque, Termier and Largouët, "Anomaly detection in streams with extreme value
/// theory", KDD 2017): the tail of a long window of scores above its <c>quantile</c> is fitted with a generalised
/// Pareto distribution, and a new score's surprise is the normal deviate of its tail probability under that fit (the
/// window's empirical tail below the threshold). A series whose scores are heavy-tailed (bursts, counts) gets the
/// surprise its own tail warrants instead of a normal fit's, so one threshold means about one false alarm rate on
/// every series.
/// </summary>
/// <remarks>
/// The shape and scale come from the excesses' first two moments (Hosking and Wallis' method of moments), the shape
/// kept in [0, 0.5]: a negative shape would put a finite end to the tail a few dozen excesses cannot support, and a
/// larger one has no variance. An exponential tail (shape 0) over a normal window's 95 % quantile is a little heavier
/// than the normal's, so a normal series' surprises come out slightly lower than a normal fit's.
/// </remarks>
internal static class ParetoTail
{
    /// <summary>Fewest excesses over the threshold a fit is made from.</summary>
    public const int MinExcesses = 10;
    private const double MaxShape = 0.5;
    private const double MinExcessScale = 1e-6;

    /// <summary>
    /// The surprise of <paramref name="score"/> against <paramref name="window"/> (sorted in place), or null when the
    /// window has fewer than <see cref="MinExcesses"/> scores above its <paramref name="quantile"/>.
    /// </summary>
    public static double? Surprise(Span<double> window, double score, double quantile)
    {
        var count = window.Length;
        var excesses = (int)Math.Floor((1 - quantile) * count);
        if (excesses < MinExcesses)
        {
            return null;
        }
        window.Sort();
        var threshold = window[count - excesses - 1];
        if (score <= threshold)
        {
            var atLeast = count - LowerBound(window, score);
            return -NormalQuantile.Of((atLeast + 0.5) / (count + 1));
        }
        var (sum, squares) = (0.0, 0.0);
        for (var i = count - excesses; i < count; i++)
        {
            var excess = window[i] - threshold;
            sum += excess;
            squares += excess * excess;
        }
        var mean = sum / excesses;
        var variance = Math.Max(squares / excesses - mean * mean, 0);
        var ratio = variance > 0 ? mean * mean / variance : 1;
        var shape = Math.Clamp(0.5 * (1 - ratio), 0, MaxShape);
        var scale = Math.Max(shape > 0 ? 0.5 * mean * (1 + ratio) : mean, MinExcessScale);
        var over = (score - threshold) / scale;
        var logTail = Math.Log((double)excesses / (count + 1)) - (shape > 0 ? Math.Log(1 + shape * over) / shape : over);
        return UpperDeviate(logTail);
    }

    /// <summary>The z whose upper normal tail is exp(<paramref name="logTail"/>), beyond the quantile function's
    /// range by the tail's asymptotic expansion (continuous with it at 1e-15).</summary>
    private static double UpperDeviate(double logTail)
    {
        if (logTail > Math.Log(1e-15))
        {
            return -NormalQuantile.Of(Math.Exp(logTail));
        }
        var y = -2 * logTail;
        return Math.Sqrt(y - Math.Log(y) - Math.Log(2 * Math.PI));
    }

    private static int LowerBound(Span<double> sorted, double value)
    {
        var (low, high) = (0, sorted.Length);
        while (low < high)
        {
            var middle = (low + high) / 2;
            if (sorted[middle] < value)
            {
                low = middle + 1;
            }
            else
            {
                high = middle;
            }
        }
        return low;
    }
}
