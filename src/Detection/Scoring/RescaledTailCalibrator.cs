namespace MetaAnomaly.Detection.Scoring;

/// <summary>
/// Calibrates the latest residual into a surprise like <see cref="TailProbabilityCalibrator"/>, but keeps the long
/// window's residuals instead of their deviates and re-expresses every one of them at the current scale before
/// comparing: the latest short-window mean of deviates against the mean and standard deviation of the long window's.
/// </summary>
/// <remarks>
/// A deviate is only as good as the scale it was measured with. When a series' noise rises (a flat metric that starts
/// to oscillate), the robust scale needs half its window to follow, and meanwhile every point scores tens of scales.
/// Kept as deviates, those points would inflate the long window's standard deviation for a whole long window, and a
/// spike of five of the new scales would score as ordinary; re-expressed at today's scale, they are the ordinary
/// oscillation they were. The deviate is tabulated (|z| in steps of 1/1024, linear between), so re-expressing a long
/// window of 1000 costs a few microseconds per point.
/// </remarks>
internal sealed class RescaledTailCalibrator(int shortWindow, int longWindow)
{
    private const double MinSigma = 1e-3;
    private const int StepsPerUnit = 1024;
    private static readonly double[] DeviateTable = Enumerable.Range(0, 7 * StepsPerUnit + 1)
        .Select(i => TailProbabilityCalibrator.Deviate((double)i / StepsPerUnit))
        .ToArray();

    // |residual| of each point, oldest first; NaN marks an ordinary point, which counts as the window's mean deviate.
    private readonly Queue<double> _residuals = new();
    private readonly double[] _deviates = new double[longWindow + shortWindow];

    public int Seen { get; private set; }

    /// <summary>Adds one point's |residual| and returns the surprise of the new short-window mean at <paramref name="scale"/>.</summary>
    public double Observe(double absoluteResidual, double scale)
    {
        Seen++;
        _residuals.Enqueue(absoluteResidual);
        if (_residuals.Count > _deviates.Length)
        {
            _residuals.Dequeue();
        }
        var count = _residuals.Count;
        var (sum, known, index) = (0.0, 0, 0);
        foreach (var residual in _residuals)
        {
            _deviates[index++] = double.IsNaN(residual) ? double.NaN : DeviateOf(residual / scale);
            if (!double.IsNaN(residual))
            {
                sum += _deviates[index - 1];
                known++;
            }
        }
        var ordinary = known > 0 ? sum / known : 0;
        // Short-window means ending at each point; the last is the latest, the ones before it the long window.
        var (running, longSum, longSquares, longCount, latest) = (0.0, 0.0, 0.0, 0, 0.0);
        for (var i = 0; i < count; i++)
        {
            if (double.IsNaN(_deviates[i]))
            {
                _deviates[i] = ordinary;
            }
            running += _deviates[i] - (i >= shortWindow ? _deviates[i - shortWindow] : 0);
            latest = running / Math.Min(i + 1, shortWindow);
            if (i < count - 1 && i >= count - 1 - longWindow)
            {
                longSum += latest;
                longSquares += latest * latest;
                longCount++;
            }
        }
        if (double.IsNaN(absoluteResidual) || longCount < 2)
        {
            return 0;
        }
        var mean = longSum / longCount;
        var sigma = Math.Max(Math.Sqrt(Math.Max(0, longSquares / longCount - mean * mean)), MinSigma);
        return (latest - mean) / sigma;
    }

    /// <summary>Adds an ordinary point (a recurring one): it counts as the long window's mean deviate. Returns 0.</summary>
    public double ObserveOrdinary(double scale) => Observe(double.NaN, scale);

    private static double DeviateOf(double absoluteScore)
    {
        if (absoluteScore >= 7)
        {
            return absoluteScore;
        }
        var position = absoluteScore * StepsPerUnit;
        var below = (int)position;
        var fraction = position - below;
        return DeviateTable[below] * (1 - fraction) + DeviateTable[Math.Min(below + 1, DeviateTable.Length - 1)] * fraction;
    }
}
