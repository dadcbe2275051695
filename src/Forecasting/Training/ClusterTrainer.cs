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

    public ClusterModel? Prepare(SeriesCluster cluster, IReadOnlyList<SeriesKey> periodGroup, SeriesHistories histories, bool retrain, string? learner,
        bool refreshIfDue, RunOutcome run, CancellationToken cancellationToken)
    {
        var trainedOn = cluster.Members.Count >= setup.Options.SpecialisedClusterMembers ? cluster.Members : periodGroup;
        histories.ReadMissing(trainedOn);
        var model = Ensure(cluster, trainedOn, histories, retrain, learner, run, cancellationToken);
        return model is not null && refreshIfDue && RefreshDue(model) ? Refresh(cluster, trainedOn, model, histories, run, cancellationToken) : model;
    }

    private ClusterModel? Ensure(SeriesCluster cluster, IReadOnlyList<SeriesKey> trainedOn, SeriesHistories histories, bool retrain, string? learnerOverride,
        RunOutcome run, CancellationToken cancellationToken)
    {
        var options = setup.Options;
        var learnerName = learnerOverride ?? (options.LearnerByCluster.TryGetValue(cluster.Id, out var configured) ? configured : options.Learner);
        var automatic = LearnerSelector.IsAuto(learnerName);
        bool Fits(string learner) => automatic || learner == learnerName;
        var layout = setup.LayoutFor(cluster.Period, states.CommonStep(cluster.Members));
        _models.TryGetValue(cluster.Id, out var current);
        if (!retrain && current is not null && current.Layout == layout && Fits(current.Learner.Name))
        {
            return current;
        }
        if (!retrain && stored.TryTake(cluster.Id, layout, Fits) is { } loaded)
        {
            return Install(cluster.Id, loaded, run);
        }
        var (windows, segments) = TrainingData(trainedOn, histories);
        try
        {
            var trained = training.TrainNew(cluster.Id, learnerName, layout, segments, cancellationToken);
            return Installed(cluster.Id, new ClusterModel(trained.Learner, layout)
            {
                ValidationError = trained.ValidationError,
                Report = trained.Report,
                Candidates = trained.Candidates,
                RefreshedAt = clock.GetUtcNow(),
            }, windows, run);
        }
        catch (ArgumentException e)
        {
            return Unready(cluster, e, run, current);
        }
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

    /// <summary>The refreshed copy of <paramref name="current"/> when it forecasts the held-out series better; else <paramref name="current"/>, checked as of now.</summary>
    private ClusterModel Refresh(SeriesCluster cluster, IReadOnlyList<SeriesKey> trainedOn, ClusterModel current, SeriesHistories histories, RunOutcome run,
        CancellationToken cancellationToken)
    {
        var (windows, segments) = TrainingData(trainedOn, histories);
        var refreshed = training.Refresh(cluster.Id, current, segments, cancellationToken);
        current.RefreshedAt = clock.GetUtcNow();
        return refreshed is null ? current : Installed(cluster.Id, new ClusterModel(refreshed.Learner, current.Layout)
        {
            ValidationError = refreshed.ValidationError,
            Report = refreshed.Report,
            RefreshedAt = current.RefreshedAt,
        }, windows, run);
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

    /// <summary>Installs a model trained in this run from <paramref name="windows"/>, to be stored once the run is done.</summary>
    private ClusterModel Installed(string clusterId, ClusterModel model, SeriesWindow[] windows, RunOutcome run)
    {
        Install(clusterId, model, run);
        run.Trained.Add(new TrainedModel(clusterId, model, windows.Min(w => (DateTimeOffset?)w.Start), windows.Max(w => (DateTimeOffset?)w.End)));
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
