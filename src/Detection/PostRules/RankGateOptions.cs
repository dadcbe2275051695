namespace MetaAnomaly.Detection.PostRules;

/// <summary>
/// The rank gate (<c>Detection:RankGate</c>): a point may alarm only when its surprise ranks among the
/// <see cref="Rank"/> largest of the series' latest <see cref="Window"/> points (itself included), an empirical tail of
/// the series' own surprises beside the normal one the threshold reads. A series whose surprises are heavy-tailed by
/// nature (bursty counts, a forecaster that often misses) alarms only on what is rare for it.
/// </summary>
public sealed class RankGateOptions
{
    public const string Section = "RankGate";

    /// <summary>Latest points whose surprises the point is ranked among; 0 disables the gate.</summary>
    public int Window { get; set; } = Defaults.Window;

    /// <summary>The point passes when fewer than this many earlier points of the window were at least as surprising.</summary>
    public int Rank { get; set; } = Defaults.Rank;

    /// <summary>EXPERIMENT: when positive, the point passes when its surprise exceeds the window's mean by this many standard deviations instead of by rank.</summary>
    public double Deviations { get; set; }

    public static class Defaults
    {
        public const int Window = 0;
        public const int Rank = 1;
    }
}
