namespace MetaAnomaly.Forecasting.Episodes;

/// <summary>
/// How a series becomes forecasting pairs: each target is predicted from the <see cref="Lags"/> values before it, its
/// anchor (the value <see cref="AnchorLag"/> slots earlier) and the sine and cosine of its phase within
/// <see cref="Period"/> (both 0 when the series is aperiodic, period 0). A task's support is
/// <see cref="SupportSize"/> consecutive targets; its query the <see cref="QuerySize"/> that follow.
/// </summary>
/// <remarks>
/// With <see cref="Anchored"/> the forecaster learns the deviation of the next value from its anchor, the value one
/// period earlier (the previous value when aperiodic): an initialisation near zero output is then seasonal naive
/// (naive when aperiodic), the strong few-shot baseline (Makridakis et al., 2020), and adaptation learns corrections
/// to it. Targets are stored as deviations; forecasts add the anchor back.
/// </remarks>
public sealed record EpisodeLayout(int Lags, int Period, int SupportSize, int QuerySize)
{
    public const int PhaseFeatures = 2;

    public bool Anchored { get; init; } = true;

    /// <summary>
    /// Query targets are forecast directly from the end of the support, h = 1..<see cref="QuerySize"/> steps ahead, with
    /// the horizon as an input (support pairs stay one step ahead); multi-step forecasts then need no feedback.
    /// </summary>
    public bool Direct { get; init; }

    /// <summary>
    /// The slots of one calendar day at the series' step when the anchor blends the day and the week (0: it does not):
    /// with a period of one day or one week (<see cref="DayLag"/> or seven of it) the anchor blends the value one day
    /// and one week earlier, chosen per task (<see cref="AnchorBlend"/>); any other period, or none, keeps the value one
    /// period earlier (<see cref="SlotsPerDay"/>). Not with <see cref="Direct"/>.
    /// </summary>
    public int DayLag { get; init; }

    /// <summary>Whether the anchor blends the day and the week.</summary>
    public bool MultiSeasonal => BlendsLags;

    /// <summary>How many slots before a target its anchor lies: the period, or 1 when aperiodic.</summary>
    public int AnchorLag => Period >= 2 ? Period : 1;

    /// <summary>The short seasonal lag of a blended anchor, the day; else the anchor lag.</summary>
    public int ShortAnchorLag => BlendsLags ? DayLag : AnchorLag;

    /// <summary>The long seasonal lag of a blended anchor, the week (0 when the anchor is not blended).</summary>
    public int LongAnchorLag => BlendsLags ? WeekDays * DayLag : 0;

    /// <summary>How far before a target a blended anchor may read (the blend weighs only the slots a series has).</summary>
    public int AnchorReach => Math.Max(Reach, LongAnchorLag);

    /// <summary>Targets over which each series' blend is chosen: one long lag of them.</summary>
    public int AnchorChoiceSpan => LongAnchorLag;

    /// <summary>Values a serving adaptation reads when the series has them: the serving span, or the anchor's reach
    /// before the targets its blend is chosen on.</summary>
    public int HistorySpan => Math.Max(ServingSpan, AnchorReach + AnchorChoiceSpan);

    /// <summary>D, the forecaster's input width: the lags, the anchor when <see cref="Anchored"/>, the horizon when
    /// <see cref="Direct"/>, the phase.</summary>
    public int InputSize => Lags + AnchorFeatures + HorizonFeatures + PhaseFeatures;

    /// <summary>Index of the anchor within a pair's inputs (only when <see cref="Anchored"/>).</summary>
    public int AnchorIndex => Lags;

    /// <summary>Index of the horizon within a pair's inputs (only when <see cref="Direct"/>).</summary>
    public int HorizonIndex => Lags + AnchorFeatures;

    /// <summary>How many slots before a target h steps ahead its anchor lies: the latest whole number of anchor lags
    /// that reaches back to an observed slot.</summary>
    public int AnchorDistance(int horizon) => AnchorLag * ((horizon + AnchorLag - 1) / AnchorLag);

    /// <summary>The horizon input: (h - 1) in units of a period (of the support when aperiodic).</summary>
    public float HorizonFeature(int horizon) => (horizon - 1) / (float)Math.Max(Period, SupportSize);

    /// <summary>How far before a target its inputs read: the lags, or the anchor when that lies further back.</summary>
    public int Reach => Anchored ? Math.Max(Lags, AnchorLag) : Lags;

    /// <summary>Values one task reads: from the reach before the first support target through the last query target.</summary>
    public int TaskSpan => Reach + SupportSize + QuerySize;

    /// <summary>Values one serving adaptation reads: the reach before the first support target through the last.</summary>
    public int ServingSpan => Reach + SupportSize;

    private const int WeekDays = 7;

    private bool BlendsLags => Anchored && !Direct && DayLag >= 2 && (Period == DayLag || Period == WeekDays * DayLag);

    private int AnchorFeatures => Anchored ? 1 : 0;

    private int HorizonFeatures => Direct ? 1 : 0;

    /// <summary>The slots of one day at <paramref name="step"/>: 0 when the step is unknown or does not divide a day.</summary>
    public static int SlotsPerDay(TimeSpan? step) =>
        step is { Ticks: > 0 } known && TimeSpan.TicksPerDay % known.Ticks == 0 ? (int)(TimeSpan.TicksPerDay / known.Ticks) : 0;

    public void Validate()
    {
        if (Lags < 1 || SupportSize < 1 || QuerySize < 0 || Period < 0)
        {
            throw new ArgumentException($"Invalid episode layout {this}: lags and support size must be positive, query size and period non-negative.");
        }
    }
}
