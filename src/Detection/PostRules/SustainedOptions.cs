namespace MetaAnomaly.Detection.PostRules;

/// <summary>
/// The sustained score (<c>Detection:Sustained</c>): the mean of the latest <see cref="Window"/> deviates, calibrated
/// against its own <see cref="LongWindow"/> beside the point's; the surprise is the larger of the two, so a run of
/// moderately unusual points (a burst of spikes, a small shift) alarms though no single point is improbable enough.
/// While every notable deviation in the window was seen before, the sustained surprise is discounted like them.
/// </summary>
public sealed class SustainedOptions
{
    public const string Section = "Sustained";

    /// <summary>Deviates averaged into the sustained score; 0 disables it.</summary>
    public int Window { get; set; } = Defaults.Window;

    /// <summary>Sustained scores that form its long-window (normal) distribution.</summary>
    public int LongWindow { get; set; } = Defaults.LongWindow;

    public static class Defaults
    {
        public const int Window = 6;
        public const int LongWindow = 1000;
    }
}
