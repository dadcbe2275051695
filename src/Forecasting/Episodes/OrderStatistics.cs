namespace MetaAnomaly.Forecasting.Episodes;

/// <summary>
/// Order statistics by selection instead of a full sort: the medians of serving's support windows and residuals
/// (24 to 48 values per series, a few per series, for 100,000 series a day).
/// </summary>
/// <remarks>
/// Quickselect (Hoare, 1961) with a median-of-three pivot: expected linear time. The order is that of
/// <see cref="double.CompareTo(double)"/>, which <see cref="MemoryExtensions.Sort{T}(Span{T})"/> uses (NaN before every
/// number), so the k-th value equals the sorted span's element k exactly.
/// </remarks>
internal static class OrderStatistics
{
    /// <summary>
    /// The k-th smallest value (0-based) of <paramref name="values"/>. Reorders the span so that every value before
    /// index <paramref name="k"/> is at most the result and every value after it at least the result.
    /// </summary>
    public static double Select(Span<double> values, int k)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(k);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(k, values.Length);
        var nans = 0;
        for (var i = 0; i < values.Length; i++)
        {
            if (double.IsNaN(values[i]))
            {
                (values[i], values[nans]) = (values[nans], values[i]);
                nans++;
            }
        }
        if (k < nans)
        {
            return double.NaN;
        }
        var numbers = values[nans..];
        var target = k - nans;
        int low = 0, high = numbers.Length - 1;
        while (low < high)
        {
            var pivot = MedianOfThree(numbers, low, low + (high - low) / 2, high);
            int i = low, j = high;
            while (i <= j)
            {
                while (numbers[i] < pivot)
                {
                    i++;
                }
                while (numbers[j] > pivot)
                {
                    j--;
                }
                if (i <= j)
                {
                    (numbers[i], numbers[j]) = (numbers[j], numbers[i]);
                    i++;
                    j--;
                }
            }
            // Now numbers[low..j] <= pivot, numbers[i..high] >= pivot, and anything between equals the pivot.
            if (target <= j)
            {
                high = j;
            }
            else if (target >= i)
            {
                low = i;
            }
            else
            {
                break;
            }
        }
        return numbers[target];
    }

    /// <summary>The median (the mean of the two middle values when the count is even). Reorders the span.</summary>
    public static double Median(Span<double> values)
    {
        var n = values.Length;
        var upper = Select(values, n / 2);
        if (n % 2 == 1)
        {
            return upper;
        }
        // The largest of the values before the upper median, in the same order: the lower median.
        var lower = values[0];
        foreach (var v in values[1..(n / 2)])
        {
            if (v.CompareTo(lower) > 0)
            {
                lower = v;
            }
        }
        return 0.5 * (lower + upper);
    }

    /// <summary>The upper median, the element n / 2 of the sorted values. Reorders the span.</summary>
    public static double UpperMedian(Span<double> values) => Select(values, values.Length / 2);

    private static double MedianOfThree(Span<double> values, int a, int b, int c)
    {
        if (values[b] < values[a])
        {
            (values[a], values[b]) = (values[b], values[a]);
        }
        if (values[c] < values[b])
        {
            (values[b], values[c]) = (values[c], values[b]);
            if (values[b] < values[a])
            {
                (values[a], values[b]) = (values[b], values[a]);
            }
        }
        return values[b];
    }
}
