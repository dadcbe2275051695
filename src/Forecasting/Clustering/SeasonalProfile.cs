namespace MetaAnomaly.Forecasting.Clustering;

/// <summary>The shape of a series' seasonal cycle: mean value per phase slot, z-normalised (zero mean, unit norm per slot).</summary>
public static class SeasonalProfile
{
    /// <summary>
    /// Mean of the observed values at each phase (absolute slot mod period), minus the overall mean, divided by the
    /// standard deviation of those means; all zeros when flat or aperiodic.
    /// </summary>
    public static double[] Compute(IReadOnlyList<double> values, long phaseOrigin, int period)
    {
        if (period < 2)
        {
            return [];
        }
        var sums = new double[period];
        var counts = new int[period];
        for (var i = 0; i < values.Count; i++)
        {
            if (double.IsFinite(values[i]))
            {
                var phase = (int)(((phaseOrigin + i) % period + period) % period);
                sums[phase] += values[i];
                counts[phase]++;
            }
        }
        var means = new double[period];
        var observed = Enumerable.Range(0, period).Where(p => counts[p] > 0).ToArray();
        if (observed.Length == 0)
        {
            return means;
        }
        var overall = observed.Average(p => sums[p] / counts[p]);
        foreach (var p in observed)
        {
            means[p] = sums[p] / counts[p] - overall;
        }
        var std = Math.Sqrt(means.Sum(m => m * m) / period);
        if (std <= 1e-12 * Math.Max(1, Math.Abs(overall)))
        {
            return new double[period];
        }
        return means.Select(m => m / std).ToArray();
    }

    /// <summary>Mean squared difference per slot (profiles of one period).</summary>
    public static double Distance(IReadOnlyList<double> a, IReadOnlyList<double> b)
    {
        var sum = 0.0;
        for (var i = 0; i < a.Count; i++)
        {
            var d = a[i] - b[i];
            sum += d * d;
        }
        return a.Count == 0 ? 0 : sum / a.Count;
    }
}
