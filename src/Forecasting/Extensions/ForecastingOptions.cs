namespace MetaAnomaly.Forecasting.Extensions;

/// <summary>The "Forecasting" configuration section. Every default makes the embedded demo work with no configuration.</summary>
public sealed class ForecastingOptions
{
    public const string SectionName = "Forecasting";

    /// <summary>auto (CUDA when TorchSharp sees it, else CPU), cpu or cuda (an error at start when absent).</summary>
    public string Device { get; set; } = Defaults.Device;

    /// <summary>
    /// The default learner of every cluster (a registered name: maml, fomaml, reptile, meta-sgd, ...), or <c>auto</c>:
    /// a new cluster meta-trains every candidate of <c>Forecasting:Selection:Candidates</c> and keeps the best on held-out series.
    /// </summary>
    public string Learner { get; set; } = Defaults.Learner;

    /// <summary>Per-cluster learner overrides (an operator's pin): cluster id to learner name or <c>auto</c>.</summary>
    public Dictionary<string, string> LearnerByCluster { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Support size K in points; 0 = one period of the cluster (<see cref="Defaults.AperiodicSupportSize"/> when aperiodic).</summary>
    public int SupportSize { get; set; }

    /// <summary>L, the lag window of the forecaster.</summary>
    public int Lags { get; set; } = Defaults.Lags;

    /// <summary>Forecast the deviation from the value one period earlier (the previous value when aperiodic), so that an
    /// unadapted model is seasonal naive; false forecasts the level itself.</summary>
    public bool SeasonalAnchor { get; set; } = true;

    /// <summary>Each series' anchor blends the day and the week, chosen per series on its latest history
    /// (<c>Episodes/AnchorBlend</c>), where its period is a calendar day or week at its step and the history holds eight
    /// days; other series, and all with false, keep the value one period earlier. Off by default: it takes M4 Hourly's OWA
    /// from 0.545 to 0.430 and raises the injected corpus' mean over categories, but lowers seasonality breaks at the
    /// product's alarms and, on its own 8 replays, two kinds by more than a point (nab-log.md, 2026-12-04).</summary>
    public bool MultiSeasonalAnchor { get; set; }

    /// <summary>Meta-train and forecast the horizon directly (each step from the observed lags, the horizon an input)
    /// instead of rolling the one-step model forward: better multi-step forecasts for the dashboard, slightly worse
    /// one-step forecasts for the detector (M4 Hourly: README).</summary>
    public bool DirectHorizons { get; set; }

    /// <summary>
    /// Hidden layer widths of the forecaster; empty means <see cref="Defaults.HiddenSizes"/> (a configured list replaces
    /// the default layers instead of being appended to them, as the configuration binder would do).
    /// </summary>
    public List<int> HiddenSizes { get; set; } = [];

    /// <summary>The hidden layers in effect: <see cref="HiddenSizes"/>, or the defaults when none are configured.</summary>
    public IReadOnlyList<int> EffectiveHiddenSizes => HiddenSizes.Count > 0 ? HiddenSizes : Defaults.HiddenSizes;

    public int AdaptationSteps { get; set; } = Defaults.AdaptationSteps;

    /// <summary>Share of each support's latest points the inner loop holds out: the steps fit the earlier points, and
    /// each series keeps the step (none included) that forecast its held-out points best, in meta-training as each day;
    /// the anchor fallback is judged on those points. 0 fits the whole support for every step.</summary>
    public double InnerLoopHeldOutShare { get; set; } = Defaults.InnerLoopHeldOutShare;

    /// <summary>Serve each cluster's meta-initialisation without the daily inner loop (meta-training is unchanged): the
    /// "not adapted" half of an adapted-against-not-adapted comparison. Off in the product.</summary>
    public bool ServeInitialisation { get; set; }

    public double AdaptationLearningRate { get; set; } = Defaults.AdaptationLearningRate;

    public double MetaLearningRate { get; set; } = Defaults.MetaLearningRate;

    /// <summary>Series adapted in one batch; 0 = follow the device (<see cref="Defaults.CpuChunkSize"/> / <see cref="Defaults.CudaChunkSize"/>).</summary>
    public int ChunkSize { get; set; }

    /// <summary>CPU threads adapting whole chunks at once (each with one torch thread); 0 = one per processor.
    /// CUDA, and learners other than the gradient ones, adapt one chunk at a time.</summary>
    public int AdaptationThreads { get; set; }

    /// <summary>Quartz cron of the daily adaptation (re-detect periods, re-cluster, adapt every series).</summary>
    public string AdaptationCron { get; set; } = Defaults.AdaptationCron;

    /// <summary>How often series that were warming up or new are picked up (cluster, model, adaptation).</summary>
    public TimeSpan CatchUpInterval { get; set; } = Defaults.CatchUpInterval;

    /// <summary>Delay before the first run after start.</summary>
    public TimeSpan StartupDelay { get; set; } = Defaults.StartupDelay;

    /// <summary>Where model weights are stored (relative paths are under the working directory).</summary>
    public string ModelDirectory { get; set; } = Defaults.ModelDirectory;

    /// <summary>Outer steps at most per meta-training of one cluster.</summary>
    public int MetaTrainingSteps { get; set; } = Defaults.MetaTrainingSteps;

    /// <summary>Wall-clock budget per meta-training of one cluster.</summary>
    public TimeSpan MetaTrainingBudget { get; set; } = Defaults.MetaTrainingBudget;

    /// <summary>
    /// Age after which the daily run meta-trains a cluster's initialisation further on the latest history, starting
    /// from it; the result replaces it only when it forecasts the held-out series better. Zero never refreshes.
    /// </summary>
    public TimeSpan ModelRefreshInterval { get; set; } = Defaults.ModelRefreshInterval;

    public int MetaBatchSize { get; set; } = Defaults.MetaBatchSize;

    /// <summary>
    /// Members a cluster needs to specialise its period group's shared initialisation (meta-trained once on every member
    /// of the clusters of its period) on its own series; a smaller cluster, or a new one, serves a copy of the shared one.
    /// A period of one cluster trains it on its own members. 0 (the default): no shared initialisation, every cluster
    /// meta-trains from scratch on its own members (m4-log.md has the measured thresholds).
    /// </summary>
    public int SpecialisedClusterMembers { get; set; } = Defaults.SpecialisedClusterMembers;

    /// <summary>
    /// Serve a new series as soon as it has one aperiodic support of points (<see cref="Defaults.AperiodicSupportSize"/>)
    /// instead of once its period can be told (two days of points): from the shared aperiodic initialisation (the largest
    /// aperiodic cluster's) with the previous-value anchor, or from that anchor alone while there is none, until its
    /// cluster adapts it. False (the default until it passes the keep rule: on the injected corpus it raised false
    /// alarms on every seed, docs/benchmarks/nab-log.md): a series is first served by its cluster.
    /// </summary>
    public bool ColdStart { get; set; }

    /// <summary>Points of history read per series for period detection, clustering and meta-training.</summary>
    public int HistoryLength { get; set; } = Defaults.HistoryLength;

    /// <summary>Longest period searched, in slots.</summary>
    public int MaxPeriod { get; set; } = Defaults.MaxPeriod;

    /// <summary>Steps of the next-horizon forecast kept for the dashboard; 0 = one period (at most <see cref="Defaults.MaxHorizon"/>).</summary>
    public int Horizon { get; set; }

    public int Seed { get; set; } = Defaults.Seed;

    public static class Defaults
    {
        public const string Device = "auto";
        public const string Learner = "maml";
        public const int Lags = 24;
        public static readonly IReadOnlyList<int> HiddenSizes = [40, 40];
        public const int AdaptationSteps = 5;
        public const double AdaptationLearningRate = 0.02;
        public const double InnerLoopHeldOutShare = 0;
        public const double MetaLearningRate = 0.001;
        public const int CpuChunkSize = 512;
        public const int CudaChunkSize = 8192;
        public const string AdaptationCron = "0 30 3 * * ?";
        public static readonly TimeSpan CatchUpInterval = TimeSpan.FromSeconds(30);
        public static readonly TimeSpan StartupDelay = TimeSpan.FromSeconds(5);
        public const string ModelDirectory = "data/forecasting-models";
        public const int MetaTrainingSteps = 300;
        public static readonly TimeSpan MetaTrainingBudget = TimeSpan.FromSeconds(15);
        public static readonly TimeSpan ModelRefreshInterval = TimeSpan.FromDays(7);
        public const int MetaBatchSize = 16;
        public const int SpecialisedClusterMembers = 0;
        public const int HistoryLength = 4096;
        public const int MaxPeriod = 1440;
        public const int MaxHorizon = 288;
        public const int AperiodicSupportSize = 48;
        public const int Seed = 1;
    }
}
