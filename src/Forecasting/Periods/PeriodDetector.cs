using System.Numerics;
using MetaAnomaly.Shared.Statistics;

namespace MetaAnomaly.Forecasting.Periods;

/// <summary>
/// Finds the dominant period of a regular series: fill gaps, remove the linear trend, clip outliers, then score
/// candidate periods from the periodogram's peaks and the autocorrelation's local maxima by their autocorrelation.
/// </summary>
/// <remarks>
/// The autocorrelation r(k) is computed through the FFT (Wiener-Khinchin, zero-padded to avoid wrap-around).
/// A candidate must be a local maximum of r that rises at least <see cref="MinimumProminence"/> above the lowest r
/// before it; the strongest wins, except that a shorter candidate with at least <see cref="HarmonicTolerance"/> of
/// the best r whose multiple is near the winner is preferred (a period's multiples correlate as well as it does).
/// Aperiodic when the winner's r is below <see cref="MinimumStrength"/> or fewer than two periods fit in the data.
/// </remarks>
public sealed class PeriodDetector(int maxPeriod = PeriodDetector.DefaultMaxPeriod)
{
    public const int DefaultMaxPeriod = 1440;
    public const double MinimumStrength = 0.3;
    public const double MinimumProminence = 0.1;
    public const double HarmonicTolerance = 0.85;
    private const int MinimumLength = 16;
    private const double MaximumGapShare = 0.5;
    private const int PeriodogramCandidates = 6;
    private const double CalendarBonus = 1.15;
    private const int MaximumHarmonic = 6;

    /// <param name="step">The series' step when known: the day and the week in slots then become candidates, and a
    /// candidate there scores <see cref="CalendarBonus"/> times its autocorrelation (operations metrics follow the clock).</param>
    public PeriodEstimate Detect(IReadOnlyList<double> values, TimeSpan? step = null)
    {
        var n = values.Count;
        var observed = values.Count(double.IsFinite);
        if (n < MinimumLength || observed < MinimumLength)
        {
            return new PeriodEstimate(0, 0, [], $"only {observed} observed values (need {MinimumLength})");
        }
        if (observed < (1 - MaximumGapShare) * n)
        {
            return new PeriodEstimate(0, 0, [], $"{n - observed} of {n} slots are gaps");
        }
        var x = Prepare(values);
        if (x.All(v => v == 0))
        {
            return new PeriodEstimate(0, 0, [], "constant after removing the trend");
        }
        var (acf, power) = AutocorrelationAndPower(x);
        var lowestBefore = new double[acf.Length];
        lowestBefore[1] = double.MaxValue;
        for (var k = 2; k < acf.Length; k++)
        {
            lowestBefore[k] = Math.Min(lowestBefore[k - 1], acf[k - 1]);
        }
        var maxLag = Math.Min(maxPeriod, n / 2);
        var candidates = new SortedSet<int>();
        foreach (var k in Enumerable.Range(2, power.Length / 2 - 2).OrderByDescending(k => power[k]).Take(PeriodogramCandidates))
        {
            var period = (int)Math.Round((double)power.Length / k);
            if (period >= 2 && period <= maxLag && RefineToPeak(acf, lowestBefore, period, maxLag) is { } refined)
            {
                candidates.Add(refined);
            }
        }
        for (var lag = 2; lag < maxLag; lag++)
        {
            if (IsProminentPeak(acf, lowestBefore, lag))
            {
                candidates.Add(lag);
            }
        }
        var calendar = CalendarPeriods(step).Where(p => p >= 2 && p < maxLag).ToArray();
        foreach (var p in calendar)
        {
            candidates.Add(p);
        }
        var scored = candidates.Select(p => (Period: p, Autocorrelation: acf[p]))
            .OrderByDescending(c => c.Autocorrelation * (calendar.Contains(c.Period) ? CalendarBonus : 1.0))
            .ToList();
        if (scored.Count == 0)
        {
            return new PeriodEstimate(0, 0, scored, "no autocorrelation peak");
        }
        var best = scored[0];
        foreach (var shorter in scored.Where(c => !calendar.Contains(best.Period) && c.Period < best.Period && c.Autocorrelation >= HarmonicTolerance * best.Autocorrelation).OrderBy(c => c.Period))
        {
            var ratio = (double)best.Period / shorter.Period;
            if (ratio <= MaximumHarmonic && Math.Abs(ratio - Math.Round(ratio)) < 0.1)
            {
                best = shorter;
                break;
            }
        }
        if (best.Autocorrelation < MinimumStrength)
        {
            return new PeriodEstimate(0, best.Autocorrelation, scored, $"strongest candidate {best.Period} has autocorrelation {best.Autocorrelation:F2} < {MinimumStrength}");
        }
        if (n < 2 * best.Period)
        {
            return new PeriodEstimate(0, best.Autocorrelation, scored, $"fewer than two periods of {best.Period} in {n} slots");
        }
        return new PeriodEstimate(best.Period, best.Autocorrelation, scored, null);
    }

    /// <summary>Gaps linearly interpolated, linear trend removed, values clipped at the median +- 5 MAD.</summary>
    internal static double[] Prepare(IReadOnlyList<double> values)
    {
        var n = values.Count;
        var x = new double[n];
        var previous = -1;
        for (var i = 0; i < n; i++)
        {
            if (!double.IsFinite(values[i]))
            {
                continue;
            }
            x[i] = values[i];
            for (var j = previous + 1; j < i; j++)
            {
                x[j] = previous < 0 ? values[i] : values[previous] + (values[i] - values[previous]) * (j - previous) / (i - previous);
            }
            previous = i;
        }
        for (var j = previous + 1; j < n; j++)
        {
            x[j] = values[previous];
        }
        double meanT = (n - 1) / 2.0, meanX = x.Average(), sxy = 0, sxx = 0;
        for (var i = 0; i < n; i++)
        {
            sxy += (i - meanT) * (x[i] - meanX);
            sxx += (i - meanT) * (i - meanT);
        }
        var slope = sxy / sxx;
        for (var i = 0; i < n; i++)
        {
            x[i] -= meanX + slope * (i - meanT);
        }
        var median = RobustStatistics.Median((double[])x.Clone());
        var scale = RobustStatistics.MadScale((double[])x.Clone());
        if (scale > 0)
        {
            for (var i = 0; i < n; i++)
            {
                x[i] = Math.Clamp(x[i], median - 5 * scale, median + 5 * scale);
            }
        }
        var mean = x.Average();
        var spread = x.Max() - x.Min();
        for (var i = 0; i < n; i++)
        {
            x[i] = spread <= 1e-12 * Math.Max(1, Math.Abs(mean)) ? 0 : x[i] - mean;
        }
        return x;
    }

    private static IEnumerable<int> CalendarPeriods(TimeSpan? step)
    {
        if (step is not { Ticks: > 0 } s)
        {
            yield break;
        }
        foreach (var span in new[] { TimeSpan.FromDays(1), TimeSpan.FromDays(7) })
        {
            if (span.Ticks % s.Ticks == 0)
            {
                yield return (int)Math.Min(int.MaxValue, span.Ticks / s.Ticks);
            }
        }
    }

    private static (double[] Acf, double[] Power) AutocorrelationAndPower(double[] x)
    {
        var size = Fft.NextPowerOfTwo(2 * x.Length);
        var data = new Complex[size];
        for (var i = 0; i < x.Length; i++)
        {
            data[i] = x[i];
        }
        Fft.Transform(data, inverse: false);
        var power = new double[size];
        for (var i = 0; i < size; i++)
        {
            power[i] = data[i].Real * data[i].Real + data[i].Imaginary * data[i].Imaginary;
            data[i] = power[i];
        }
        Fft.Transform(data, inverse: true);
        var acf = new double[x.Length];
        var zero = data[0].Real;
        for (var k = 0; k < x.Length; k++)
        {
            // Unbiased-length correction keeps long lags comparable to short ones.
            acf[k] = zero > 0 ? data[k].Real / zero * x.Length / (x.Length - k) : 0;
        }
        return (acf, power);
    }

    private static int? RefineToPeak(double[] acf, double[] lowestBefore, int period, int maxLag)
    {
        var radius = Math.Max(1, period / 10);
        var best = -1;
        for (var lag = Math.Max(2, period - radius); lag <= Math.Min(maxLag - 1, period + radius); lag++)
        {
            if (IsProminentPeak(acf, lowestBefore, lag) && (best < 0 || acf[lag] > acf[best]))
            {
                best = lag;
            }
        }
        return best < 0 ? null : best;
    }

    private static bool IsProminentPeak(double[] acf, double[] lowestBefore, int lag) =>
        acf[lag] >= acf[lag - 1] && acf[lag] >= acf[lag + 1] && acf[lag] - lowestBefore[lag] >= MinimumProminence;
}
