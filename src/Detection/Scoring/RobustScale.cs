using MetaAnomaly.Shared.Statistics;

namespace MetaAnomaly.Detection.Scoring;

/// <summary>
/// Online robust scale of one series' residuals: 1.4826 x the median absolute deviation of the latest residuals,
/// starting from the adaptation's own MAD scale until enough residuals have arrived.
/// </summary>
/// <remarks>
/// 1.4826 MAD estimates the standard deviation of a normal sample and ignores up to half of it as outliers. On
/// quantised or mostly-flat series (CPU at one value for hours) the MAD collapses towards 0 and every small step
/// becomes a huge score, so the scale never drops below <c>stdFraction</c> x the residuals' standard deviation.
/// </remarks>
internal sealed class RobustScale(int window, int minOnline, double stdFraction)
{
    private readonly Queue<double> _residuals = new();
    private double[] _sorted = [];

    public int Count => _residuals.Count;

    public void Add(double residual)
    {
        _residuals.Enqueue(residual);
        if (_residuals.Count > window)
        {
            _residuals.Dequeue();
        }
    }

    /// <summary>The current scale, or <paramref name="adaptationScale"/> while fewer than the minimum residuals are known.</summary>
    public double Current(double adaptationScale)
    {
        if (_residuals.Count < minOnline)
        {
            return adaptationScale;
        }
        if (_sorted.Length != _residuals.Count)
        {
            _sorted = new double[_residuals.Count];
        }
        _residuals.CopyTo(_sorted, 0);
        // Summed in sorted order, as the scale always was: the order changes the last bits of the mean.
        Array.Sort(_sorted);
        var mean = _sorted.Average();
        var std = Math.Sqrt(_sorted.Sum(r => (r - mean) * (r - mean)) / _sorted.Length);
        var online = Math.Max(RobustStatistics.MadScale(_sorted), stdFraction * std);
        return double.IsFinite(adaptationScale) && adaptationScale > 0 ? Math.Max(online, 0.5 * adaptationScale) : online;
    }
}
