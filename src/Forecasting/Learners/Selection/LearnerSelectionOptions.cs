namespace MetaAnomaly.Forecasting.Learners.Selection;

/// <summary>
/// Automatic learner choice, bound from <c>Forecasting:Selection</c>. Used for a cluster whose learner is
/// <see cref="LearnerSelector.Auto"/> (<c>Forecasting:Learner = auto</c>, or <c>auto</c> pinned for that cluster).
/// </summary>
public sealed class LearnerSelectionOptions
{
    public static class Defaults
    {
        public static readonly string[] Candidates = ["maml", "lstm-meta", "leo"];
        public const double SelectionFraction = 0.25;
        public const int MinimumSeriesForHeldOutSelection = 4;
    }

    /// <summary>
    /// Registered learner names to meta-train and compare; empty means <see cref="Defaults.Candidates"/> (a configured
    /// list replaces the defaults instead of being appended to them, as the configuration binder would do).
    /// </summary>
    public List<string> Candidates { get; set; } = [];

    /// <summary>The candidates in effect: <see cref="Candidates"/>, or the defaults when none are configured.</summary>
    public IReadOnlyList<string> EffectiveCandidates => Candidates.Count > 0 ? Candidates : Defaults.Candidates;

    /// <summary>
    /// Share of a cluster's series held out to score the candidates when it has at least
    /// <see cref="Defaults.MinimumSeriesForHeldOutSelection"/> series; smaller clusters are scored on the trainer's own
    /// held-out stretch.
    /// </summary>
    public double SelectionFraction { get; set; } = Defaults.SelectionFraction;

    /// <summary>The names that are not registered learners, for validation at start.</summary>
    public IEnumerable<string> UnknownCandidates(MetaLearnerRegistry registry) => EffectiveCandidates.Where(c => !registry.Contains(c));
}
