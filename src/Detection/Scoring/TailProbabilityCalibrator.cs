using MetaAnomaly.Shared.Statistics;

namespace MetaAnomaly.Detection.Scoring;

/// <summary>
/// Calibrates raw scores into an anomaly probability: each |score| is first mapped to a standard normal deviate
/// g (exactly N(0, 1) when the residual is normal with the estimated scale), the mean of the latest short window of
/// g is compared with the normal distribution fitted to the long window of such means, and the probability is that
/// distribution's CDF at the short mean.
/// </summary>
/// <remarks>
/// The "anomaly likelihood" of Ahmad, Lavin, Purdy and Agha, "Unsupervised real-time anomaly detection for streaming
/// data", Neurocomputing 262 (2017): L = 1 - Q((mu_short - mu_long) / sigma_long), Q the standard normal tail.
/// Here the raw score is the residual in robust standard deviations, and the two-sided tail 2Q(|z|) is turned back
/// into a one-sided deviate g = Q^{-1}(2Q(|z|)) first, so that the long-window normal fit is exact under the null
/// instead of a poor fit to a half-normal; beyond |z| = 7, g = |z| (both tails are then Gaussian to within 0.1).
/// The long window absorbs a forecaster whose scale is off: it learns the series' own normal level of surprise.
/// </remarks>
internal sealed class TailProbabilityCalibrator(int shortWindow, int longWindow)
{
    private const double MinSigma = 1e-3;
    private readonly Queue<double> _short = new();
    private readonly Queue<double> _long = new();
    private double _shortSum;
    private double _longSum;
    private double _longSumSquares;

    public int Seen { get; private set; }

    /// <summary>
    /// Adds one point's deviate (<see cref="Deviate"/> of its |score|) and returns the surprise of the new short-window
    /// mean: its deviation from the long window's mean in long-window standard deviations (0 before any history). The
    /// probability is <see cref="NormalCdf"/> of it.
    /// </summary>
    public double Observe(double deviate)
    {
        Seen++;
        _short.Enqueue(deviate);
        _shortSum += deviate;
        if (_short.Count > shortWindow)
        {
            _shortSum -= _short.Dequeue();
        }
        var shortMean = _shortSum / _short.Count;
        var surprise = 0.0;
        if (_long.Count >= 2)
        {
            var mean = _longSum / _long.Count;
            var variance = Math.Max(0, _longSumSquares / _long.Count - mean * mean);
            var sigma = Math.Max(Math.Sqrt(variance), MinSigma);
            surprise = (shortMean - mean) / sigma;
        }
        _long.Enqueue(shortMean);
        _longSum += shortMean;
        _longSumSquares += shortMean * shortMean;
        if (_long.Count > longWindow)
        {
            var old = _long.Dequeue();
            _longSum -= old;
            _longSumSquares -= old * old;
        }
        return surprise;
    }

    /// <summary>
    /// Adds an ordinary point (one the caller knows to be expected, a recurring one): the long window's mean stands in
    /// for its deviate, so it neither alarms nor widens the long window. Returns 0.
    /// </summary>
    public double ObserveOrdinary()
    {
        Observe(_long.Count > 0 ? _longSum / _long.Count : 0);
        return 0;
    }

    /// <summary>g = Q^{-1}(2 Q(|z|)): the one-sided normal deviate with the same tail as the two-sided |z|.</summary>
    internal static double Deviate(double absoluteScore)
    {
        if (absoluteScore >= 7)
        {
            return absoluteScore;
        }
        var twoSidedTail = Math.Max(2 * (1 - NormalCdf(absoluteScore)), 1e-15);
        return NormalQuantile.Of(1 - twoSidedTail);
    }

    /// <summary>Standard normal CDF via the complementary error function (Abramowitz-Stegun 7.1.26 is too coarse in the tail).</summary>
    internal static double NormalCdf(double z) => 0.5 * Erfc(-z / Math.Sqrt(2));

    /// <summary>erfc with relative error below 1.2e-7 everywhere (Numerical Recipes' Chebyshev fit).</summary>
    private static double Erfc(double x)
    {
        var z = Math.Abs(x);
        var t = 1.0 / (1.0 + 0.5 * z);
        var r = t * Math.Exp(-z * z - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418
            + t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587
            + t * (-0.82215223 + t * 0.17087277)))))))));
        return x >= 0 ? r : 2.0 - r;
    }
}
