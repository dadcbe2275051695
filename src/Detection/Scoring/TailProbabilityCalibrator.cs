namespace MetaAnomaly.Detection.Scoring;

/// <summary>
/// Calibrates raw scores into an anomaly probability: the mean of the latest short window of |score| is compared
/// with the normal distribution fitted to the long window of such means; the probability is that distribution's
/// CDF at the short mean (1 - its upper tail probability).
/// </summary>
/// <remarks>
/// The "anomaly likelihood" of Ahmad, Lavin, Purdy and Agha, "Unsupervised real-time anomaly detection for streaming
/// data", Neurocomputing 262 (2017): L = 1 - Q((mu_short - mu_long) / sigma_long), Q the standard normal tail.
/// Here the raw score is the residual in robust standard deviations rather than HTM's prediction error.
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

    /// <summary>Adds one |score| and returns the probability of the new short-window mean (0 before any history).</summary>
    public double Observe(double absoluteScore)
    {
        Seen++;
        _short.Enqueue(absoluteScore);
        _shortSum += absoluteScore;
        if (_short.Count > shortWindow)
        {
            _shortSum -= _short.Dequeue();
        }
        var shortMean = _shortSum / _short.Count;
        var probability = 0.0;
        if (_long.Count >= 2)
        {
            var mean = _longSum / _long.Count;
            var variance = Math.Max(0, _longSumSquares / _long.Count - mean * mean);
            var sigma = Math.Max(Math.Sqrt(variance), MinSigma);
            probability = NormalCdf((shortMean - mean) / sigma);
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
        return probability;
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
