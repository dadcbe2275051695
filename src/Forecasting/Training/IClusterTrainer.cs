using MetaAnomaly.Forecasting.Clustering;
using MetaAnomaly.Forecasting.Planning;
using MetaAnomaly.Forecasting.Runs;
using MetaAnomaly.Shared.Series;

namespace MetaAnomaly.Forecasting.Training;

/// <summary>The trainer stage: one meta-initialisation per cluster, trained here or loaded from the model registry.</summary>
internal interface IClusterTrainer
{
    /// <summary>Names a cluster can be trained with: every registered meta-learner.</summary>
    IReadOnlyList<string> Learners { get; }

    /// <summary>The cluster's current initialisation; null until it has one.</summary>
    ClusterModel? ModelOf(string clusterId);

    /// <summary>Reads the registry's current versions, once, before the first run uses them (before every run, the new ones, when the registry is shared).</summary>
    Task LoadStoredAsync(CancellationToken cancellationToken);

    /// <summary>
    /// The cluster's initialisation for this run: the one in memory when it fits the layout and learner, else the stored
    /// one, else a new meta-training (always when <paramref name="retrain"/>, with <paramref name="learner"/> when given);
    /// refreshed when <paramref name="refreshIfDue"/> and it is older than the refresh interval. Null when none can be
    /// had yet: its series wait, and a previous model, if any, keeps serving. With <c>Forecasting:SpecialisedClusterMembers</c>
    /// N above 0 a new initialisation starts from the shared one of <paramref name="periodGroup"/> (the clusters of its
    /// period, this one included), meta-trained once on all their members: a cluster of fewer than N members serves a
    /// copy of it, a larger one specialises it on its own members.
    /// </summary>
    Task<ClusterModel?> PrepareAsync(SeriesCluster cluster, IReadOnlyList<SeriesCluster> periodGroup, SeriesHistories histories, bool retrain, string? learner, bool refreshIfDue,
        RunOutcome run, CancellationToken cancellationToken);

    /// <summary>
    /// What series in cold start are served from now: the initialisation of the largest aperiodic cluster of
    /// <paramref name="clusters"/> that has one in the aperiodic layout, else the anchor alone.
    /// </summary>
    ColdStartModel ColdStartModel(IReadOnlyList<SeriesCluster> clusters);

    /// <summary>Stores the initialisations <paramref name="run"/> trained as new versions.</summary>
    Task SaveTrainedAsync(RunOutcome run, CancellationToken cancellationToken);
}
