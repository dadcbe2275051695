namespace MetaAnomaly.Detection.PostRules;

/// <summary>
/// The flatline rule (<c>Detection:Flatline</c>): a series is stuck when it repeats one value exactly for more points
/// than <see cref="MinPoints"/> and than its longest such run that ended within the latest <see cref="MemoryPoints"/>;
/// a stuck point's probability is raised to <see cref="Probability"/>. A frozen exporter or a writer that stopped
/// leaves a flat line its forecaster follows perfectly.
/// </summary>
public sealed class FlatlineOptions
{
    public const string Section = "Flatline";

    /// <summary>The shortest stuck run; 0 disables the rule.</summary>
    public int MinPoints { get; set; } = Defaults.MinPoints;

    /// <summary>How many latest points per series the record flat run is taken from.</summary>
    public int MemoryPoints { get; set; } = Defaults.MemoryPoints;

    /// <summary>The anomaly probability of a stuck point, in (0, 1).</summary>
    public double Probability { get; set; } = Defaults.Probability;

    public static class Defaults
    {
        public const int MinPoints = 12;
        public const int MemoryPoints = 2016;
        public const double Probability = 0.99999;
    }
}
