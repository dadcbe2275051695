namespace MetaAnomaly.Detection.PostRules;

/// <summary>
/// The point calibration (<c>Detection:Calibration</c>): the mean deviate of the latest <see cref="ShortWindow"/>
/// points, re-expressed at the current scale, against the distribution of the <see cref="LongWindow"/> such means
/// before it; the surprise is its distance from their mean in their standard deviations.
/// </summary>
public sealed class CalibrationOptions
{
    public const string Section = "Calibration";

    /// <summary>Points averaged into the short-window score whose tail probability is the anomaly probability.</summary>
    public int ShortWindow { get; set; } = Defaults.ShortWindow;

    /// <summary>Short-window scores that form the long-window (normal) distribution.</summary>
    public int LongWindow { get; set; } = Defaults.LongWindow;

    public static class Defaults
    {
        public const int ShortWindow = 1;
        public const int LongWindow = 1000;
    }
}
