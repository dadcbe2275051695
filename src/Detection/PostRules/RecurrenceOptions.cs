namespace MetaAnomaly.Detection.PostRules;

/// <summary>
/// The recurrence rule (<c>Detection:Recurrence</c>): a notable point whose deviate is at most 1 / <see cref="Ratio"/>
/// times the largest deviate within <see cref="Tolerance"/> of the same time on each of the last <see cref="Repeats"/>
/// lookbacks is recurring: it is calibrated as ordinary and never alarms (a nightly batch job alerts on the first
/// nights, not every night).
/// </summary>
public sealed class RecurrenceOptions
{
    public const string Section = "Recurrence";

    /// <summary>How far back a deviation is looked for again (a day: scheduled jobs); <see cref="TimeSpan.Zero"/> disables the rule.</summary>
    public TimeSpan Lookback { get; set; } = Defaults.Lookback;

    /// <summary>On how many consecutive lookbacks (days) before the deviation must have happened.</summary>
    public int Repeats { get; set; } = Defaults.Repeats;

    /// <summary>Jitter allowed around the time one lookback earlier.</summary>
    public TimeSpan Tolerance { get; set; } = Defaults.Tolerance;

    /// <summary>The earlier deviate must reach this fraction of the current one for the current one to be recurring.</summary>
    public double Ratio { get; set; } = Defaults.Ratio;

    public static class Defaults
    {
        public static readonly TimeSpan Lookback = TimeSpan.FromDays(1);
        public const int Repeats = 3;
        public static readonly TimeSpan Tolerance = TimeSpan.FromMinutes(30);
        public const double Ratio = 0.5;
    }
}
