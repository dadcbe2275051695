using MetaAnomaly.Forecasting.Engine;
using MetaAnomaly.Forecasting.Episodes;
using MetaAnomaly.Forecasting.Learners;
using MetaAnomaly.Forecasting.Registry;
using MetaAnomaly.Forecasting.Runs;
using Microsoft.Extensions.Logging;

namespace MetaAnomaly.Forecasting.Training;

/// <summary>
/// The cluster initialisations of the <see cref="IModelRegistry"/>: the current versions read before the first run
/// (in a shared registry before every run, the versions not seen yet), each loaded at most once; and the
/// initialisations a run trained, stored as new versions.
/// </summary>
internal sealed class StoredInitialisations(IModelRegistry registry, MetaLearnerRegistry learners, ForecastingSetup setup, ILogger<StoredInitialisations> logger)
{
    private readonly Dictionary<string, (ModelRecord Record, byte[]? State)> _stored = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _seen = new(StringComparer.Ordinal);
    private volatile bool _loaded;

    /// <summary>Whether other nodes store versions in the registry too (<see cref="IModelRegistry.Shared"/>).</summary>
    public bool Shared => registry.Shared;

    public async Task LoadAsync(CancellationToken cancellationToken)
    {
        if (_loaded && !registry.Shared)
        {
            return;
        }
        await ReadNewAsync(cancellationToken);
        _loaded = true;
    }

    /// <summary>The registry's lease of the cluster (<see cref="IModelRegistry.LeaseAsync"/>).</summary>
    public Task<IAsyncDisposable> LeaseAsync(string clusterId, CancellationToken cancellationToken) => registry.LeaseAsync(clusterId, cancellationToken);

    /// <summary>The stored initialisation as <see cref="TryTake"/>, after reading the registry again: what another node stored meanwhile.</summary>
    public async Task<ClusterModel?> TryTakeLatestAsync(string clusterId, EpisodeLayout layout, Func<string, bool> fits, CancellationToken cancellationToken)
    {
        await ReadNewAsync(cancellationToken);
        return TryTake(clusterId, layout, fits);
    }

    /// <summary>The cluster's stored initialisation when it is a newer version than <paramref name="current"/>'s (another node's), as <see cref="TryTake"/>.</summary>
    public ClusterModel? TryTakeNewer(string clusterId, ClusterModel current, Func<string, bool> fits) =>
        _stored.TryGetValue(clusterId, out var stored) && stored.Record.Version > (current.Record?.Version ?? 0) ? TryTake(clusterId, current.Layout, fits) : null;

    /// <summary>
    /// The cluster's stored initialisation when it has <paramref name="layout"/> and a learner that <paramref name="fits"/>;
    /// null when there is none, or its state is missing or corrupt (logged). Asked once per cluster: a second call finds none.
    /// </summary>
    public ClusterModel? TryTake(string clusterId, EpisodeLayout layout, Func<string, bool> fits)
    {
        if (!_stored.Remove(clusterId, out var stored) || stored.Record.Layout != layout.ToString() || !fits(stored.Record.Learner))
        {
            return null;
        }
        if (stored.State is null)
        {
            logger.LogWarning("The stored model of cluster {Cluster} is missing: meta-training a new one", clusterId);
            return null;
        }
        var loaded = learners.Create(stored.Record.Learner, setup.SettingsFor(layout));
        try
        {
            loaded.Load(new MemoryStream(stored.State));
            return new ClusterModel(loaded, layout)
            {
                Record = stored.Record,
                ValidationError = stored.Record.ValidationError,
                RefreshedAt = stored.Record.CreatedAt,
            };
        }
        catch (Exception e) when (e is InvalidDataException or EndOfStreamException or IOException or ArgumentException)
        {
            loaded.Dispose();
            logger.LogError(e, "The stored model version {Version} of cluster {Cluster} is corrupt: meta-training a new one", stored.Record.Version, clusterId);
            return null;
        }
    }

    /// <summary>Stores every initialisation the run trained and has not stored yet as a new version; one that cannot be stored serves from memory (an error of the run).</summary>
    public async Task SaveAsync(RunOutcome run, CancellationToken cancellationToken)
    {
        foreach (var trained in run.Trained.Where(t => t.Model.Record is null))
        {
            await SaveAsync(trained, run, cancellationToken);
        }
    }

    /// <summary>Stores one initialisation the run trained as a new version; one that cannot be stored serves from memory (an error of the run).</summary>
    public async Task SaveAsync(TrainedModel trained, RunOutcome run, CancellationToken cancellationToken)
    {
        try
        {
            var state = new MemoryStream();
            trained.Model.Learner.Save(state);
            trained.Model.Record = await registry.SaveAsync(trained.ClusterId, trained.Model.Learner.Name, trained.Model.Layout.ToString(),
                trained.DataFrom, trained.DataTo, trained.Model.ValidationError ?? double.NaN, state.ToArray(), cancellationToken);
            _seen[trained.ClusterId] = Math.Max(_seen.GetValueOrDefault(trained.ClusterId), trained.Model.Record.Version);
            if (trained.Model.Candidates is { } candidates)
            {
                await registry.SaveCandidatesAsync(trained.Model.Record, candidates, cancellationToken);
            }
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            run.Errors.Add($"{trained.ClusterId}: the trained model could not be stored ({e.Message}); it serves from memory");
            logger.LogError(e, "Storing the model of cluster {Cluster} failed", trained.ClusterId);
        }
    }

    /// <summary>Reads the current versions this node has not seen (all of them the first time).</summary>
    public async Task ReadNewAsync(CancellationToken cancellationToken)
    {
        foreach (var record in await registry.CurrentAsync(cancellationToken))
        {
            if (_seen.GetValueOrDefault(record.ClusterId) >= record.Version)
            {
                continue;
            }
            _stored[record.ClusterId] = (record, await registry.TryReadStateAsync(record, cancellationToken));
            _seen[record.ClusterId] = record.Version;
        }
    }
}
