namespace MetaAnomaly.Shared.Statistics;

/// <summary>Median and median-absolute-deviation scale, the robust statistics every stage shares.</summary>
public static class RobustStatistics
{
    /// <summary>1 / Φ⁻¹(3/4): makes the MAD a consistent estimate of a normal sample's standard deviation.</summary>
    public const double NormalConsistency = 1.4826;

    /// <summary>The median of values already sorted ascending (the mean of the two middle ones when the count is even); NaN when empty.</summary>
    public static double MedianOfSorted(ReadOnlySpan<double> sorted) =>
        sorted.Length == 0 ? double.NaN
        : sorted.Length % 2 == 1 ? sorted[sorted.Length / 2]
        : 0.5 * (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]);

    /// <summary>Sorts <paramref name="values"/> in place and returns their median; NaN when empty.</summary>
    public static double Median(Span<double> values)
    {
        values.Sort();
        return MedianOfSorted(values);
    }

    /// <summary>
    /// <see cref="NormalConsistency"/> × the median absolute deviation from the median; NaN when empty. Overwrites
    /// <paramref name="values"/> (with the sorted absolute deviations).
    /// </summary>
    public static double MadScale(Span<double> values)
    {
        var median = Median(values);
        foreach (ref var value in values)
        {
            value = Math.Abs(value - median);
        }
        return NormalConsistency * Median(values);
    }
}
