namespace MetaAnomaly.Detection.PostRules;

/// <summary>
/// The deviation memory (<c>Detection:DeviationMemory</c>): the notable deviations among a series' latest
/// <see cref="Points"/> as (forecast, residual) pairs. A notable point that deviates from about the same forecast
/// (within <see cref="Tolerance"/>) by about the same residual (within 30 %) as a remembered one is seen: its surprise
/// is divided by <see cref="ScoringOptions.SeenDeviationDiscount"/>, so a burst, flip or spike the series has shown
/// before alarms only when far larger than a new one would need to be.
/// </summary>
public sealed class DeviationMemoryOptions
{
    public const string Section = "DeviationMemory";

    /// <summary>How many latest scored points per series the memory spans; 0 disables it.</summary>
    public int Points { get; set; } = Defaults.Points;

    /// <summary>The latest points a deviation is never matched against, so an ongoing shift or burst is not excused by its own start.</summary>
    public int Exclusion { get; set; } = Defaults.Exclusion;

    /// <summary>How close a remembered deviation's forecast must be to match, as a fraction of the latest values' 1-99 % range.</summary>
    public double Tolerance { get; set; } = Defaults.Tolerance;

    public static class Defaults
    {
        public const int Points = 2016;
        public const int Exclusion = 12;
        public const double Tolerance = 0.15;
    }
}
