namespace MetaAnomaly.Forecasting.Episodes;

/// <summary>
/// How a series becomes forecasting pairs: each target is predicted from the <see cref="Lags"/> values before it plus
/// the sine and cosine of its phase within <see cref="Period"/> (both 0 when the series is aperiodic, period 0).
/// A task's support is <see cref="SupportSize"/> consecutive targets; its query the <see cref="QuerySize"/> that follow.
/// </summary>
public sealed record EpisodeLayout(int Lags, int Period, int SupportSize, int QuerySize)
{
    public const int PhaseFeatures = 2;

    /// <summary>D, the forecaster's input width.</summary>
    public int InputSize => Lags + PhaseFeatures;

    /// <summary>Values one task reads: the lags before the first support target through the last query target.</summary>
    public int TaskSpan => Lags + SupportSize + QuerySize;

    public void Validate()
    {
        if (Lags < 1 || SupportSize < 1 || QuerySize < 0 || Period < 0)
        {
            throw new ArgumentException($"Invalid episode layout {this}: lags and support size must be positive, query size and period non-negative.");
        }
    }
}
