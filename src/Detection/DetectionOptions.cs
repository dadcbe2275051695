using MetaAnomaly.Detection.Events;
using MetaAnomaly.Detection.PostRules;
using MetaAnomaly.Detection.Webhooks;

namespace MetaAnomaly.Detection;

/// <summary>Options bound from the <c>Detection</c> configuration section; validated at start.</summary>
public sealed class DetectionOptions
{
    public const string Section = "Detection";

    /// <summary>How often the scoring service looks for new points.</summary>
    public TimeSpan TickInterval { get; set; } = Defaults.TickInterval;

    /// <summary>How many regular slots of history each one-step request carries at least (more when the series' forecaster
    /// reads further back, as an anchor one long period earlier does).</summary>
    public int HistoryPoints { get; set; } = Defaults.HistoryPoints;

    /// <summary>Most points one series may have scored in one tick (the backlog is caught up over later ticks).</summary>
    public int MaxPointsPerTick { get; set; } = Defaults.MaxPointsPerTick;

    /// <summary>
    /// Most points all series together may have scored or primed in one tick: a start with many series, each primed on
    /// its history, is spread over several ticks instead of building one huge forecast batch.
    /// </summary>
    public int MaxRequestsPerTick { get; set; } = Defaults.MaxRequestsPerTick;

    /// <summary>
    /// Points of stored history a series' detector is primed on when scoring first meets the series (at start, or when
    /// its first model is adapted): they are forecast and scored like new points, teaching the scale, the calibration
    /// and the deviation memory, but never alarm. 0 starts cold at the latest point.
    /// </summary>
    public int PrimingPoints { get; set; } = Defaults.PrimingPoints;

    public ScoringOptions Scoring { get; set; } = new();

    // The post-rules' sections, in pipeline order (AddDetection registers the rules in this order).

    public RecurrenceOptions Recurrence { get; set; } = new();

    public DeviationMemoryOptions DeviationMemory { get; set; } = new();

    public ExcusedReturnOptions ExcusedReturn { get; set; } = new();

    public CalibrationOptions Calibration { get; set; } = new();

    public SustainedOptions Sustained { get; set; } = new();

    public FlatlineOptions Flatline { get; set; } = new();

    public WarmupOptions Warmup { get; set; } = new();

    /// <summary>Alarm rules, the last post-rule; a point is anomalous when any rule fires. Empty means one rule with the defaults.</summary>
    public List<AlarmRuleOptions> Rules { get; set; } = [];

    public EventOptions Events { get; set; } = new();

    public SeverityOptions Severity { get; set; } = new();

    public FeedbackOptions Feedback { get; set; } = new();

    public WebhookOptions Webhooks { get; set; } = new();

    /// <summary>Events whose probability reaches this are masked from the next adaptation (confirmed ones always).</summary>
    public double MaskProbability { get; set; } = Defaults.MaskProbability;

    /// <summary>How long per-point scores are kept in the state database.</summary>
    public TimeSpan ScoreRetention { get; set; } = Defaults.ScoreRetention;

    /// <summary>The rules in force: the configured ones, or the default rule when none is configured.</summary>
    public IReadOnlyList<AlarmRuleOptions> EffectiveRules => Rules.Count > 0 ? Rules : [new AlarmRuleOptions()];

    public static class Defaults
    {
        public static readonly TimeSpan TickInterval = TimeSpan.FromSeconds(2);
        public const int HistoryPoints = 512;
        public const int MaxPointsPerTick = 256;
        public const int MaxRequestsPerTick = 65_536;
        public const int PrimingPoints = 288;
        public const double MaskProbability = 0.9999;
        public static readonly TimeSpan ScoreRetention = TimeSpan.FromDays(7);
    }
}

/// <summary>
/// The residual scorer (<c>Detection:Scoring</c>), and the two measures the post-rules share: which deviations are
/// notable, and what a deviation seen before has its surprise divided by.
/// </summary>
public sealed class ScoringOptions
{
    /// <summary>Recent residuals kept per series for the online robust (MAD) scale.</summary>
    public int ScaleWindow { get; set; } = Defaults.ScaleWindow;

    /// <summary>Residuals needed before the online scale replaces the adaptation's scale.</summary>
    public int MinOnlineResiduals { get; set; } = Defaults.MinOnlineResiduals;

    /// <summary>Smallest scale, relative to the mean absolute level of the series, so flat series do not divide by zero.</summary>
    public double RelativeScaleFloor { get; set; } = Defaults.RelativeScaleFloor;

    /// <summary>The scale never drops below this fraction of the residuals' standard deviation (flat, quantised series).</summary>
    public double StdFloorFraction { get; set; } = Defaults.StdFloorFraction;

    /// <summary>
    /// Deviates (|score| as a one-sided normal deviate) below this are ordinary: never recurring, never remembered by or
    /// matched against the deviation memory, never excused.
    /// </summary>
    public double NotableDeviate { get; set; } = Defaults.NotableDeviate;

    /// <summary>What the surprise of a deviation seen before (deviation memory, excused return) is divided by (1 leaves it as it is).</summary>
    public double SeenDeviationDiscount { get; set; } = Defaults.SeenDeviationDiscount;

    public static class Defaults
    {
        public const int ScaleWindow = 256;
        public const int MinOnlineResiduals = 32;
        public const double RelativeScaleFloor = 1e-3;
        public const double StdFloorFraction = 0.0;
        public const double NotableDeviate = 3;
        public const double SeenDeviationDiscount = 100;
    }
}

/// <summary>One alarm rule: probability threshold, direction and minimum duration.</summary>
public sealed class AlarmRuleOptions
{
    public string Name { get; set; } = Defaults.Name;

    /// <summary>Calibrated anomaly probability at or above which a point counts, in (0, 1).</summary>
    public double Threshold { get; set; } = Defaults.Threshold;

    public AnomalyDirection Direction { get; set; } = AnomalyDirection.Both;

    /// <summary>Consecutive points over the threshold before the rule fires.</summary>
    public int MinDuration { get; set; } = Defaults.MinDuration;

    public static class Defaults
    {
        public const string Name = "default";
        public const double Threshold = 0.9999;
        public const int MinDuration = 1;
    }
}

public sealed class EventOptions
{
    /// <summary>Consecutive normal points that close an open event.</summary>
    public int ReturnToNormalPoints { get; set; } = Defaults.ReturnToNormalPoints;

    /// <summary>A new anomaly within this time of an event's end reopens that event instead of raising a new one.</summary>
    public TimeSpan CoolDown { get; set; } = Defaults.CoolDown;

    public static class Defaults
    {
        public const int ReturnToNormalPoints = 3;
        public static readonly TimeSpan CoolDown = TimeSpan.FromMinutes(30);
    }
}

/// <summary>
/// The 0-100 anomaly score (<see cref="AnomalyScore"/>) at or above which an event has each severity (below Medium it
/// is Low): severity follows the event's score and nothing else.
/// </summary>
public sealed class SeverityOptions
{
    public double Medium { get; set; } = Defaults.Medium;

    public double High { get; set; } = Defaults.High;

    public double Critical { get; set; } = Defaults.Critical;

    public AnomalySeverity Of(double anomalyScore) =>
        anomalyScore >= Critical ? AnomalySeverity.Critical
        : anomalyScore >= High ? AnomalySeverity.High
        : anomalyScore >= Medium ? AnomalySeverity.Medium
        : AnomalySeverity.Low;

    public static class Defaults
    {
        /// <summary>One in 10^5.5 under normal variation (surprise 4.6).</summary>
        public const double Medium = 48;

        /// <summary>One in 10^9 (surprise 6.0).</summary>
        public const double High = 60;

        /// <summary>One in 10^24 (surprise 10).</summary>
        public const double Critical = 80;
    }
}

/// <summary>How feedback tunes each cluster's thresholds, within bounds.</summary>
public sealed class FeedbackOptions
{
    /// <summary>Verdicts in a cluster before its thresholds move.</summary>
    public int MinVerdicts { get; set; } = Defaults.MinVerdicts;

    /// <summary>Below this precision the cluster's thresholds rise; above <see cref="HighPrecision"/> they fall.</summary>
    public double LowPrecision { get; set; } = Defaults.LowPrecision;

    public double HighPrecision { get; set; } = Defaults.HighPrecision;

    /// <summary>Bounds of any tuned threshold.</summary>
    public double MinThreshold { get; set; } = Defaults.MinThreshold;

    public double MaxThreshold { get; set; } = Defaults.MaxThreshold;

    public static class Defaults
    {
        public const int MinVerdicts = 5;
        public const double LowPrecision = 0.5;
        public const double HighPrecision = 0.9;
        public const double MinThreshold = 0.99;
        public const double MaxThreshold = 0.9999999;
    }
}
