namespace MetaAnomaly.Forecasting.Periods;

/// <summary>The dominant period of a series in slots, or aperiodic (0) with the reason.</summary>
/// <param name="Strength">Autocorrelation of the detrended series at the period, in [-1, 1].</param>
/// <param name="Candidates">Candidate periods that were scored, with their autocorrelation.</param>
public sealed record PeriodEstimate(int Period, double Strength, IReadOnlyList<(int Period, double Autocorrelation)> Candidates, string? Reason)
{
    public bool IsPeriodic => Period > 0;
}
