namespace MetaAnomaly.Forecasting.Periods;

/// <summary>
/// Whether a detected period is worth anchoring on: over a horizon of one period, the value one period earlier
/// (seasonal naive) must forecast the series better than the last value carried forward does. Both are judged by
/// the mean absolute error over every forecast origin in the history, the carried-forward value at every horizon
/// from 1 to the period, on the pairs where both values are known.
/// </summary>
/// <remarks>
/// The autocorrelation can peak at a lag that does not forecast: a few cycles of a slow swing, or a noisy series whose
/// level wanders. An anchored forecaster then learns its correction on top of the worse anchor. Judging one step ahead
/// instead throws away the cycle of every smooth series, whose previous value always wins at that horizon: the product
/// forecasts up to a period ahead, so the comparison is made at the horizons it forecasts.
/// </remarks>
public static class SeasonalAnchorCheck
{
    public static bool BeatsCarriedForwardValue(IReadOnlyList<double> values, int period)
    {
        if (period < 2)
        {
            return false;
        }
        double seasonal = 0, carried = 0;
        long seasonalPairs = 0, carriedPairs = 0;
        for (var i = period; i < values.Count; i++)
        {
            var target = values[i];
            if (!double.IsFinite(target) || !double.IsFinite(values[i - period]))
            {
                continue;
            }
            seasonal += Math.Abs(target - values[i - period]);
            seasonalPairs++;
            for (var horizon = 1; horizon <= period; horizon++)
            {
                var origin = values[i - horizon];
                if (double.IsFinite(origin))
                {
                    carried += Math.Abs(target - origin);
                    carriedPairs++;
                }
            }
        }
        return seasonalPairs > 0 && carriedPairs > 0 && seasonal / seasonalPairs < carried / carriedPairs;
    }
}
