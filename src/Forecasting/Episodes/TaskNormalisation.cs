using MetaAnomaly.Shared.Statistics;

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

    /// <summary>The task's anchor (<see cref="AnchorBlend"/>), chosen with its normalisation from the same history.</summary>
    public AnchorBlend Anchor { get; init; }

    /// <summary>Normalised values are clipped to +-<see cref="Clip"/>: a support window whose robust scale is tiny next to
    /// its range (step-like series) must not feed the inner loop values that make it diverge.</summary>
    public const double Clip = 10.0;

    public double Normalise(double value) => Math.Clamp((value - Mean) / Scale, -Clip, Clip);

    /// <summary>(value - Mean) / Scale, unclipped: where a value is kept rather than fed to a forecaster.</summary>
    public double Standardise(double value) => (value - Mean) / Scale;

    public double Denormalise(double value) => value * Scale + Mean;

    /// <summary>From the finite values of <paramref name="values"/>; identity when none is finite.</summary>
    /// <remarks>Allocation-free for windows up to <see cref="StackWindow"/> values (serving calls it once per series).</remarks>
    public static TaskNormalisation FromObserved(ReadOnlySpan<double> values)
    {
        var buffer = values.Length <= StackWindow ? stackalloc double[2 * values.Length] : new double[2 * values.Length];
        var observed = buffer[..values.Length];
        var count = 0;
        var sum = 0.0;
        foreach (var v in values)
        {
            if (double.IsFinite(v))
            {
                observed[count++] = v;
                sum += v;
            }
        }
        if (count == 0)
        {
            return Identity;
        }
        observed = observed[..count];
        var mean = sum / count;
        var median = RobustStatistics.Median(observed);
        var deviations = buffer.Slice(values.Length, count);
        for (var i = 0; i < count; i++)
        {
            deviations[i] = Math.Abs(observed[i] - median);
        }
        var mad = RobustStatistics.Median(deviations) * RobustStatistics.NormalConsistency;
        var tolerance = 1e-9 * Math.Max(1.0, Math.Abs(mean));
        if (mad > tolerance)
        {
            return new TaskNormalisation(mean, mad);
        }
        var squares = 0.0;
        foreach (var v in observed)
        {
            squares += (v - mean) * (v - mean);
        }
        var std = Math.Sqrt(squares / count);
        return new TaskNormalisation(mean, std > tolerance ? std : 1.0);
    }

    private const int StackWindow = 512;
}
