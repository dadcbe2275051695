using System.Collections.Concurrent;
using MetaAnomaly.Forecasting.Clustering;
using MetaAnomaly.Forecasting.Engine;
using MetaAnomaly.Forecasting.Episodes;
using MetaAnomaly.Forecasting.Learners.Selection;
using MetaAnomaly.Forecasting.Planning;
using MetaAnomaly.Forecasting.Runs;
using MetaAnomaly.Forecasting.Serving;
using MetaAnomaly.Shared.Forecasts;
using MetaAnomaly.Shared.Series;

namespace MetaAnomaly.Forecasting.Training;

/// <summary>
/// Owns the cluster initialisations: keeps the one that fits, loads a stored one, meta-trains a new one or refreshes
/// an old one (<see cref="InitialisationTraining"/>), and stores what a run trained (<see cref="StoredInitialisations"/>).
/// </summary>
internal sealed class ClusterTrainer(
    StoredInitialisations stored,
    InitialisationTraining training,
    ForecastingSetup setup,
    SeriesStates states,
    TimeProvider clock) : IClusterTrainer, IDisposable
{
    private readonly ConcurrentDictionary<string, ClusterModel> _models = new(StringComparer.Ordinal);
    private ClusterModel? _anchorAlone;

    public IReadOnlyList<string> Learners => training.Learners;

    public ClusterModel? ModelOf(string clusterId) => _models.GetValueOrDefault(clusterId);

    public Task LoadStoredAsync(CancellationToken cancellationToken) => stored.LoadAsync(cancellationToken);

    public Task SaveTrainedAsync(RunOutcome run, CancellationToken cancellationToken) => stored.SaveAsync(run, cancellationToken);

    public async Task<ClusterModel?> PrepareAsync(SeriesCluster cluster, IReadOnlyList<SeriesCluster> periodGroup, SeriesHistories histories, bool retrain, string? learner,
        bool refreshIfDue, RunOutcome run, CancellationToken cancellationToken)
    {
        var shared = SharedCluster(cluster, periodGroup);
        var trainedOn = shared is null || cluster.Members.Count >= setup.Options.SpecialisedClusterMembers ? cluster.Members : shared.Members;
        histories.ReadMissing(trainedOn);
        var model = await EnsureAsync(cluster, shared, trainedOn, histories, retrain, learner, run, cancellationToken);
        return model is not null && refreshIfDue && RefreshDue(model) ? await RefreshAsync(cluster, trainedOn, model, histories, run, cancellationToken) : model;
    }

    /// <summary>The registry id of the shared initialisation of the period group of <paramref name="period"/>.</summary>
    internal static string SharedId(int period) => period > 0 ? $"p{period}-shared" : "aperiodic-shared";

    /// <summary>
    /// The period group as the pseudo-cluster its shared initialisation is meta-trained on: every member of the clusters of
    /// the period. Null when <c>SpecialisedClusterMembers</c> is 0 or the group is <paramref name="cluster"/> alone.
    /// </summary>
    private SeriesCluster? SharedCluster(SeriesCluster cluster, IReadOnlyList<SeriesCluster> periodGroup) =>
        setup.Options.SpecialisedClusterMembers > 0 && periodGroup.Any(c => c.Id != cluster.Id)
            ? new SeriesCluster(SharedId(cluster.Period), cluster.Period, [], periodGroup.SelectMany(c => c.Members).Union(cluster.Members).ToArray())
            : null;

    private async Task<ClusterModel?> EnsureAsync(SeriesCluster cluster, SeriesCluster? shared, IReadOnlyList<SeriesKey> trainedOn, SeriesHistories histories, bool retrain,
        string? learnerOverride, RunOutcome run, CancellationToken cancellationToken)
    {
        var options = setup.Options;
        var learnerName = learnerOverride ?? (options.LearnerByCluster.TryGetValue(cluster.Id, out var configured) ? configured : options.Learner);
        var automatic = LearnerSelector.IsAuto(learnerName);
        bool Fits(string learner) => automatic || learner == learnerName;
        var layout = setup.LayoutFor(cluster.Period, states.CommonStep(cluster.Members));
        _models.TryGetValue(cluster.Id, out var current);
        if (!retrain && current is not null && current.Layout == layout && Fits(current.Learner.Name))
        {
            // In a shared registry a newer version is another node's refresh or retraining: every node serves it.
            return stored.Shared && stored.TryTakeNewer(cluster.Id, current, Fits) is { } newer ? Install(cluster.Id, newer, run) : current;
        }
        if (!retrain && stored.TryTake(cluster.Id, layout, Fits) is { } loaded)
        {
            return Install(cluster.Id, loaded, run);
        }
        await using var lease = await stored.LeaseAsync(cluster.Id, cancellationToken);
        if (!retrain && stored.Shared && await stored.TryTakeLatestAsync(cluster.Id, layout, Fits, cancellationToken) is { } trainedElsewhere)
        {
            return Install(cluster.Id, trainedElsewhere, run);
        }
        try
        {
            if (shared is not null && await FromSharedAsync(cluster, shared, layout, learnerName, histories, run, cancellationToken) is { } started)
            {
                return await InstalledAsync(cluster.Id, started.Model, started.Windows, run, cancellationToken);
            }
            var (windows, segments) = TrainingData(trainedOn, histories);
            var trained = training.TrainNew(cluster.Id, learnerName, layout, segments, cancellationToken);
            return await InstalledAsync(cluster.Id, new ClusterModel(trained.Learner, layout)
            {
                ValidationError = trained.ValidationError,
                Report = trained.Report,
                Candidates = trained.Candidates,
                RefreshedAt = clock.GetUtcNow(),
            }, windows, run, cancellationToken);
        }
        catch (ArgumentException e)
        {
            return Unready(cluster, e, run, current);
        }
    }

    /// <summary>
    /// A cluster's new initialisation from its period group's shared one (meta-trained on the whole group, or loaded): a
    /// copy of it when the cluster has fewer than <c>SpecialisedClusterMembers</c> members; else the shared one
    /// meta-trained further on the cluster's own members, kept only when it forecasts their held-out series better (else
    /// the copy). Null when the group has no initialisation in the cluster's layout: the cluster then trains on its own.
    /// </summary>
    private async Task<(ClusterModel Model, SeriesWindow[] Windows)?> FromSharedAsync(SeriesCluster cluster, SeriesCluster shared, EpisodeLayout layout, string learnerName,
        SeriesHistories histories, RunOutcome run, CancellationToken cancellationToken)
    {
        histories.ReadMissing(shared.Members);
        var group = await EnsureAsync(shared, null, shared.Members, histories, retrain: false, learnerName, run, cancellationToken);
        if (group is null || group.Layout != layout)
        {
            return null;
        }
        if (cluster.Members.Count >= setup.Options.SpecialisedClusterMembers)
        {
            var (windows, segments) = TrainingData(cluster.Members, histories);
            if (training.Specialise(cluster.Id, group, segments, cancellationToken) is { } specialised)
            {
                return (new ClusterModel(specialised.Learner, layout)
                {
                    ValidationError = specialised.ValidationError,
                    Report = specialised.Report,
                    RefreshedAt = clock.GetUtcNow(),
                }, windows);
            }
        }
        return (new ClusterModel(training.Copy(group), layout)
        {
            ValidationError = group.ValidationError,
            Report = group.Report,
            RefreshedAt = clock.GetUtcNow(),
        }, histories.Of(shared.Members));
    }

    public ColdStartModel ColdStartModel(IReadOnlyList<SeriesCluster> clusters)
    {
        var layout = setup.LayoutFor(0, null);
        foreach (var cluster in clusters.Where(c => c.Period == 0).OrderByDescending(c => c.Members.Count).ThenBy(c => c.Id, StringComparer.Ordinal))
        {
            if (_models.TryGetValue(cluster.Id, out var model) && model.Layout == layout)
            {
                return new ColdStartModel(model, cluster.Id);
            }
        }
        _anchorAlone ??= new ClusterModel(new AnchorLearner(setup.SettingsFor(layout)), layout) { RefreshedAt = clock.GetUtcNow() };
        return new ColdStartModel(_anchorAlone, null);
    }

    private bool RefreshDue(ClusterModel model) =>
        setup.Options.ModelRefreshInterval > TimeSpan.Zero && clock.GetUtcNow() - model.RefreshedAt >= setup.Options.ModelRefreshInterval;

    /// <summary>
    /// The refreshed copy of <paramref name="current"/> when it forecasts the held-out series better; else <paramref name="current"/>, checked as of now.
    /// In a shared registry, a version another node stored while this one waited for the lease instead.
    /// </summary>
    private async Task<ClusterModel> RefreshAsync(SeriesCluster cluster, IReadOnlyList<SeriesKey> trainedOn, ClusterModel current, SeriesHistories histories, RunOutcome run,
        CancellationToken cancellationToken)
    {
        await using var lease = await stored.LeaseAsync(cluster.Id, cancellationToken);
        if (stored.Shared)
        {
            await stored.ReadNewAsync(cancellationToken);
            if (stored.TryTakeNewer(cluster.Id, current, learner => learner == current.Learner.Name) is { } newer)
            {
                return Install(cluster.Id, newer, run);
            }
        }
        var (windows, segments) = TrainingData(trainedOn, histories);
        var refreshed = training.Refresh(cluster.Id, current, segments, cancellationToken);
        current.RefreshedAt = clock.GetUtcNow();
        return refreshed is null ? current : await InstalledAsync(cluster.Id, new ClusterModel(refreshed.Learner, current.Layout)
        {
            ValidationError = refreshed.ValidationError,
            Report = refreshed.Report,
            RefreshedAt = current.RefreshedAt,
        }, windows, run, cancellationToken);
    }

    private static (SeriesWindow[] Windows, SeriesSegment[] Segments) TrainingData(IReadOnlyList<SeriesKey> members, SeriesHistories histories)
    {
        var windows = histories.Of(members);
        return (windows, windows.Select(w => histories.Segment(w.Key, w)).ToArray());
    }

    /// <summary>The cluster cannot be meta-trained yet (too little data): its series wait, the previous model keeps serving.</summary>
    private ClusterModel? Unready(SeriesCluster cluster, ArgumentException e, RunOutcome run, ClusterModel? current)
    {
        var reason = $"its cluster {cluster.Id} cannot be meta-trained yet: {e.Message}";
        foreach (var key in cluster.Members.Where(states.NeedsAdaptation))
        {
            states.Update(key, x => x!.Unserved(SeriesModelStatus.Pending, reason));
        }
        run.Errors.Add($"{cluster.Id}: {e.Message}");
        return current;
    }

    /// <summary>
    /// Installs a model trained in this run from <paramref name="windows"/>, to be stored once the run is done; in a shared
    /// registry stored at once, while this node still holds the cluster's lease.
    /// </summary>
    private async Task<ClusterModel> InstalledAsync(string clusterId, ClusterModel model, SeriesWindow[] windows, RunOutcome run, CancellationToken cancellationToken)
    {
        Install(clusterId, model, run);
        var trained = new TrainedModel(clusterId, model, windows.Min(w => (DateTimeOffset?)w.Start), windows.Max(w => (DateTimeOffset?)w.End));
        run.Trained.Add(trained);
        if (stored.Shared)
        {
            await stored.SaveAsync(trained, run, cancellationToken);
        }
        return model;
    }

    private ClusterModel Install(string clusterId, ClusterModel model, RunOutcome run)
    {
        if (_models.TryGetValue(clusterId, out var old))
        {
            run.Retired.Add(old.Learner);
        }
        _models[clusterId] = model;
        return model;
    }

    public void Dispose()
    {
        foreach (var model in _models.Values)
        {
            model.Learner.Dispose();
        }
        _anchorAlone?.Learner.Dispose();
    }
}
