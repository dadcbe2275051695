namespace MetaAnomaly.Forecasting.Episodes;

/// <summary>
/// Per-task affine normalisation, computed once from the support window and undone on output:
/// z = (x - Mean) / Scale.
/// </summary>
/// <remarks>
/// Scale is the robust 1.4826 * MAD of the observed support values; when that is zero (a series that is mostly one
/// value) the standard deviation; when that is zero too (a constant series) 1, so a constant series forecasts itself.
/// </remarks>
public readonly record struct TaskNormalisation(double Mean, double Scale)
{
    public static TaskNormalisation Identity { get; } = new(0, 1);

    /// <summary>Normalised values are clipped to +-<see cref="Clip"/>: a support window whose robust scale is tiny next to
    /// its range (step-like series) must not feed the inner loop values that make it diverge.</summary>
    public const double Clip = 10.0;

    public double Normalise(double value) => Math.Clamp((value - Mean) / Scale, -Clip, Clip);

    public double Denormalise(double value) => value * Scale + Mean;

    /// <summary>From the finite values of <paramref name="values"/>; identity when none is finite.</summary>
    public static TaskNormalisation FromObserved(ReadOnlySpan<double> values)
    {
        var observed = new List<double>(values.Length);
        foreach (var v in values)
        {
            if (double.IsFinite(v))
            {
                observed.Add(v);
            }
        }
        if (observed.Count == 0)
        {
            return Identity;
        }
        var mean = observed.Average();
        var median = Median(observed);
        var mad = Median(observed.Select(v => Math.Abs(v - median)).ToList()) * 1.4826;
        var tolerance = 1e-9 * Math.Max(1.0, Math.Abs(mean));
        if (mad > tolerance)
        {
            return new TaskNormalisation(mean, mad);
        }
        var std = Math.Sqrt(observed.Sum(v => (v - mean) * (v - mean)) / observed.Count);
        return new TaskNormalisation(mean, std > tolerance ? std : 1.0);
    }

    private static double Median(List<double> values)
    {
        values.Sort();
        var n = values.Count;
        return n % 2 == 1 ? values[n / 2] : 0.5 * (values[n / 2 - 1] + values[n / 2]);
    }
}
