namespace MetaAnomaly.Detection.PostRules;

/// <summary>The calibration warm-up (<c>Detection:Warmup</c>): a series' first scored points report no probability and never alarm.</summary>
public sealed class WarmupOptions
{
    public const string Section = "Warmup";

    /// <summary>Scored points per series before probabilities are reported.</summary>
    public int Points { get; set; } = Defaults.Points;

    public static class Defaults
    {
        public const int Points = 256;
    }
}
