namespace MetaAnomaly.Detection.Scoring;

/// <summary>
/// Remembers one series' recent notable deviations as (forecast, residual) pairs so that a deviation the series has
/// already made is told apart from one it never made: a disk-write burst from idle to 450 MB, a CPU flipping between
/// two levels, a nightly spike and its fall back. The residual alone cannot tell them apart (each surprises the forecast
/// the same way every time); the memory can.
/// </summary>
/// <remarks>
/// The idea of the sequence-memory detectors that lead NAB (HTM predicts every transition it has learned, contextOSE
/// scores the contexts it has not seen) applied to a forecaster's residuals. A remembered deviation matches when its
/// forecast lies within the tolerance of the current one (a fraction of the 1-99 % range of the latest values, so it
/// follows the series' units) and its residual is within <see cref="SameSizeFraction"/> of the current residual: the
/// same expectation, missed the same way. The residual is matched relative to itself, not to the range: rare spikes lie
/// outside the 1-99 % range, and a tolerance from the range would never let one spike match another. Only notable
/// deviations are remembered and matched, so noise never excuses a real deviation, and the latest points are never
/// matched, so a shift or burst going on now is not excused by its own start.
/// </remarks>
internal sealed class DeviationMemory(int capacity, int exclusion, double toleranceFraction)
{
    private const double SameSizeFraction = 0.3;
    // Single precision is plenty for a tolerance taken from the value range, and halves what every series keeps (16 KB
    // for 2016 points, in arrival order and sorted).
    private readonly Queue<float> _values = new();
    private readonly List<float> _sortedValues = [];
    private readonly Queue<(long Index, double Forecast, double Residual)> _deviations = new();
    private long _count;

    /// <summary>Whether a remembered deviation, older than the latest <c>exclusion</c> points, missed about the same forecast by about the same residual.</summary>
    public bool Seen(double forecast, double value)
    {
        if (_deviations.Count == 0)
        {
            return false;
        }
        var low = _sortedValues[(int)(0.01 * (_sortedValues.Count - 1))];
        var high = _sortedValues[(int)(0.99 * (_sortedValues.Count - 1))];
        var tolerance = toleranceFraction * (high - low);
        var residual = value - forecast;
        var residualTolerance = SameSizeFraction * Math.Abs(residual);
        foreach (var deviation in _deviations)
        {
            if (deviation.Index > _count - exclusion)
            {
                break;
            }
            if (Math.Abs(deviation.Forecast - forecast) <= tolerance && Math.Abs(deviation.Residual - residual) <= residualTolerance)
            {
                return true;
            }
        }
        return false;
    }

    /// <summary>Adds one point to the value range and, when <paramref name="notable"/>, to the remembered deviations.</summary>
    public void Add(double forecast, double value, bool notable)
    {
        _count++;
        var single = (float)value;
        _values.Enqueue(single);
        _sortedValues.Insert(IndexOf(single), single);
        if (_values.Count > capacity)
        {
            _sortedValues.RemoveAt(IndexOf(_values.Dequeue()));
        }
        if (notable)
        {
            _deviations.Enqueue((_count, forecast, value - forecast));
        }
        while (_deviations.Count > 0 && _deviations.Peek().Index <= _count - capacity)
        {
            _deviations.Dequeue();
        }
    }

    private int IndexOf(float value)
    {
        var index = _sortedValues.BinarySearch(value);
        return index >= 0 ? index : ~index;
    }
}
