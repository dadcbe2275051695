using MetaAnomaly.Forecasting.Clustering;
using MetaAnomaly.Forecasting.Episodes;
using MetaAnomaly.Forecasting.Extensions;
using MetaAnomaly.Forecasting.Learners;
using MetaAnomaly.Forecasting.Learners.Selection;
using MetaAnomaly.Forecasting.Periods;
using MetaAnomaly.Forecasting.ReadModel;
using MetaAnomaly.Forecasting.Training;
using MetaAnomaly.Shared.Forecasts;
using MetaAnomaly.Shared.Series;
using Microsoft.Extensions.Logging;

namespace MetaAnomaly.Forecasting.Serving;

public sealed partial class ForecastingService
{
    private RunOutcome Run(RunKind kind, string? clusterId, string? learner, CancellationToken cancellationToken)
    {
        var outcome = new RunOutcome();
        var histories = new Dictionary<SeriesKey, SeriesWindow>();
        var retired = new List<IMetaLearner>();
        if (kind is RunKind.CatchUp or RunKind.Full)
        {
            RefreshClusters(kind, histories, cancellationToken);
        }
        var clusters = _clusters;
        var targets = kind switch
        {
            RunKind.Cluster or RunKind.Retrain => clusters.Where(c => c.Id == clusterId).Select(c => (Cluster: c, Keys: c.Members, Replace: true)).ToList(),
            RunKind.Full => clusters.Select(c => (Cluster: c, Keys: c.Members, Replace: true)).ToList(),
            _ => clusters.Select(c => (Cluster: c, Keys: (IReadOnlyList<SeriesKey>)c.Members.Where(NeedsAdaptation).ToArray(), Replace: false))
                .Where(t => t.Keys.Count > 0).ToList(),
        };
        foreach (var (cluster, keys, replace) in targets)
        {
            cancellationToken.ThrowIfCancellationRequested();
            try
            {
                foreach (var key in cluster.Members.Where(k => !histories.ContainsKey(k)))
                {
                    if (_buffers.Latest(key, _options.HistoryLength) is { } window)
                    {
                        histories[key] = window;
                    }
                }
                var model = EnsureModel(cluster, histories, kind == RunKind.Retrain, learner, outcome, retired, cancellationToken);
                if (model is not null && kind == RunKind.Full && RefreshDue(model))
                {
                    model = Refresh(cluster, model, histories, outcome, retired, cancellationToken);
                }
                if (model is null)
                {
                    continue;
                }
                // A retrained model gets a fresh start: the previous models it replaces do not speak for it.
                outcome.SeriesAdapted += AdaptMembers(cluster, model, keys, replace, judgePrevious: kind != RunKind.Retrain, histories, cancellationToken);
                outcome.ClustersAdapted++;
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                outcome.Errors.Add($"{cluster.Id}: {e.Message}");
                _logger.LogError(e, "Forecasting run failed for cluster {Cluster}", cluster.Id);
                foreach (var key in keys.Where(NeedsAdaptation).Where(_series.ContainsKey))
                {
                    Update(key, e2 => e2! with { Status = SeriesModelStatus.Failed, Reason = $"adaptation failed: {e.Message}" });
                }
            }
        }
        if (kind == RunKind.Full)
        {
            RetireVanishedClusters(clusters);
        }
        foreach (var old in retired)
        {
            old.Dispose();
        }
        return outcome;
    }

    private bool NeedsAdaptation(SeriesKey key) => !_series.TryGetValue(key, out var entry) || entry.Status != SeriesModelStatus.Adapted;

    /// <summary>Reads the series, detects periods (all on a full run, the not yet clustered on catch-up) and clusters.</summary>
    private void RefreshClusters(RunKind kind, Dictionary<SeriesKey, SeriesWindow> histories, CancellationToken cancellationToken)
    {
        var infos = _buffers.ListSeries();
        var members = new List<ClusterMember>();
        for (var i = 0; i < infos.Count; i++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var key = infos[i].Key;
            if (kind == RunKind.CatchUp && _series.TryGetValue(key, out var known) && known.ClusterId is not null)
            {
                continue;
            }
            SetActivity("detecting periods", (double)i / infos.Count);
            var window = _buffers.Latest(key, _options.HistoryLength);
            if (window is null)
            {
                Update(key, e => Warming(key, e, infos[i].Step, "its step is not yet known"));
                continue;
            }
            histories[key] = window;
            if (Examine(key, window) is { } member)
            {
                members.Add(member);
            }
        }
        SetActivity("clustering", 0);
        if (kind == RunKind.Full)
        {
            var everyone = members.Concat(_series.Values
                .Where(e => e.ClusterId is not null && e.Period is not null && members.All(m => m.Key != e.Key))
                .Select(e => new ClusterMember(e.Key, e.Period!.Value, e.Profile))).ToArray();
            _clusters = _clusterer.Cluster(everyone, _clusters);
        }
        else if (members.Count > 0)
        {
            _clusters = _clusterer.Join(_clusters, members);
        }
        foreach (var cluster in _clusters)
        {
            foreach (var key in cluster.Members)
            {
                Update(key, e => e!.ClusterId == cluster.Id ? e : e with
                {
                    ClusterId = cluster.Id,
                    Status = e.Status == SeriesModelStatus.Adapted ? e.Status : SeriesModelStatus.Pending,
                    Reason = e.Status == SeriesModelStatus.Adapted ? e.Reason : "waiting for its cluster's model and first adaptation",
                });
            }
        }
    }

    /// <summary>Period and profile of a series with enough history; otherwise it stays warming up, with the reason.</summary>
    private ClusterMember? Examine(SeriesKey key, SeriesWindow window)
    {
        var estimate = _periods.Detect(window.Values, window.Step);
        if (estimate.IsPeriodic && !SeasonalAnchorCheck.BeatsPreviousValue(window.Values, estimate.Period))
        {
            estimate = estimate with { Period = 0, Reason = $"period {estimate.Period} found, but the value one period earlier forecasts worse than the previous value" };
        }
        var observed = window.Count - window.GapCount;
        if (estimate.IsPeriodic)
        {
            var layout = LayoutFor(estimate.Period);
            var needed = layout.ServingSpan;
            if (window.Count < needed)
            {
                Update(key, e => Warming(key, e, window.Step, $"{window.Count} of the {needed} points needed ({layout.Reach} before a support of {layout.SupportSize})"));
                return null;
            }
        }
        else
        {
            var needed = AperiodicHistoryNeeded(window.Step);
            if (window.Count < needed)
            {
                Update(key, e => Warming(key, e, window.Step, $"{observed} points: less than the {needed} needed to tell its period ({estimate.Reason})"));
                return null;
            }
        }
        var profile = SeasonalProfile.Compute(window.Values, SeriesSegment.SlotIndex(window.Start, window.Step), estimate.Period);
        Update(key, e => (e ?? Warming(key, null, window.Step, null)) with { Step = window.Step, Period = estimate.Period, Profile = profile });
        return new ClusterMember(key, estimate.Period, profile);
    }

    /// <summary>Two days of slots (at most two of the longest periods searched, at most the history read), and one task.</summary>
    private int AperiodicHistoryNeeded(TimeSpan step)
    {
        var day = step > TimeSpan.Zero ? (int)Math.Min(int.MaxValue / 4, TimeSpan.FromDays(1) / step) : _options.MaxPeriod;
        var layout = LayoutFor(0);
        return Math.Min(_options.HistoryLength, Math.Max(layout.ServingSpan + 1, 2 * Math.Min(day, _options.MaxPeriod)));
    }

    private static SeriesEntry Warming(SeriesKey key, SeriesEntry? entry, TimeSpan? step, string? reason) =>
        (entry ?? new SeriesEntry(key, step, null, [], null, SeriesModelStatus.WarmingUp, reason)) with
        {
            Step = step ?? entry?.Step,
            Status = entry?.Status == SeriesModelStatus.Adapted ? SeriesModelStatus.Adapted : SeriesModelStatus.WarmingUp,
            Reason = reason,
        };

    private EpisodeLayout LayoutFor(int period)
    {
        var support = _options.SupportSize > 0 ? _options.SupportSize : period > 0 ? period : ForecastingOptions.Defaults.AperiodicSupportSize;
        var query = _options.DirectHorizons ? HorizonFor(period, support) : Math.Max(1, support / 2);
        return new EpisodeLayout(_options.Lags, period, support, query) { Anchored = _options.SeasonalAnchor, Direct = _options.DirectHorizons };
    }

    private int HorizonFor(EpisodeLayout layout) => HorizonFor(layout.Period, layout.SupportSize);

    private int HorizonFor(int period, int support) =>
        _options.Horizon > 0 ? _options.Horizon : Math.Min(period > 0 ? period : support, ForecastingOptions.Defaults.MaxHorizon);

    private LearnerSettings SettingsFor(EpisodeLayout layout) => new(
        layout.InputSize, Device, _options.Seed, _options.HiddenSizes,
        _options.AdaptationLearningRate, _options.AdaptationSteps, _options.MetaLearningRate);

    /// <summary>
    /// The cluster's model: the one in memory when it fits, else the stored one, else a new meta-training (also when
    /// <paramref name="retrain"/>). Null when none can be had (the previous model, if any, keeps serving).
    /// </summary>
    private ClusterModel? EnsureModel(SeriesCluster cluster, Dictionary<SeriesKey, SeriesWindow> histories, bool retrain, string? learnerOverride,
        RunOutcome outcome, List<IMetaLearner> retired, CancellationToken cancellationToken)
    {
        var learnerName = learnerOverride ?? (_options.LearnerByCluster.TryGetValue(cluster.Id, out var configured) ? configured : _options.Learner);
        var automatic = LearnerSelector.IsAuto(learnerName);
        bool Fits(string learner) => automatic || learner == learnerName;
        var layout = LayoutFor(cluster.Period);
        _models.TryGetValue(cluster.Id, out var current);
        if (!retrain && current is not null && current.Layout == layout && Fits(current.Learner.Name))
        {
            return current;
        }
        if (!retrain && _stored.Remove(cluster.Id, out var stored) && stored.Record.Layout == layout.ToString() && Fits(stored.Record.Learner))
        {
            if (stored.State is null)
            {
                _logger.LogWarning("The stored model of cluster {Cluster} is missing: meta-training a new one", cluster.Id);
            }
            else
            {
                var loaded = _learners.Create(stored.Record.Learner, SettingsFor(layout));
                try
                {
                    loaded.Load(new MemoryStream(stored.State));
                    return Install(cluster.Id, new ClusterModel(loaded, layout)
                    {
                        Record = stored.Record,
                        ValidationError = stored.Record.ValidationError,
                        RefreshedAt = stored.Record.CreatedAt,
                    }, retired);
                }
                catch (Exception e) when (e is InvalidDataException or EndOfStreamException or IOException or ArgumentException)
                {
                    loaded.Dispose();
                    _logger.LogError(e, "The stored model version {Version} of cluster {Cluster} is corrupt: meta-training a new one", stored.Record.Version, cluster.Id);
                }
            }
        }
        var (windows, segments) = TrainingData(cluster, histories);
        var training = TrainingOptions();
        SetActivity($"meta-training {cluster.Id} ({learnerName})", 0);
        LearnerSelection? selection = null;
        IMetaLearner learner;
        try
        {
            selection = automatic
                ? _selector.Select(_selection.EffectiveCandidates, SettingsFor(layout), segments, layout, training, _selection.SelectionFraction, cancellationToken)
                : null;
            learner = _learners.Create(selection?.Chosen ?? learnerName, SettingsFor(layout));
        }
        catch (ArgumentException e)
        {
            return Unready(cluster, e, outcome, current);
        }
        try
        {
            MetaTrainingReport report;
            if (selection is not null)
            {
                learner.Load(new MemoryStream(selection.ChosenState));
                report = selection.ChosenReport;
            }
            else
            {
                var progress = new Progress<MetaTrainingProgress>(p => SetActivity($"meta-training {cluster.Id} ({learnerName})", (double)p.Step / p.MaxSteps));
                report = _trainer.Train(learner, segments, layout, training, progress, cancellationToken);
            }
            _logger.LogInformation("Meta-trained {Learner} for cluster {Cluster}: {Steps} steps, validation error {Initial:G4} -> {Error:G4} in {Seconds:F1} s",
                learner.Name, cluster.Id, report.Steps, report.InitialValidationError, report.ValidationError, report.Duration.TotalSeconds);
            var validationError = selection?.Candidates.First(c => c.Learner == selection.Chosen).ValidationError ?? report.ValidationError;
            var model = Install(cluster.Id, new ClusterModel(learner, layout)
            {
                ValidationError = validationError,
                Report = report,
                Candidates = selection?.Candidates,
                RefreshedAt = _clock.GetUtcNow(),
            }, retired);
            outcome.Trained.Add(new TrainedModel(cluster.Id, model, windows.Min(w => (DateTimeOffset?)w.Start), windows.Max(w => (DateTimeOffset?)w.End)));
            return model;
        }
        catch (ArgumentException e)
        {
            learner.Dispose();
            return Unready(cluster, e, outcome, current);
        }
        catch
        {
            learner.Dispose();
            throw;
        }
    }

    private const string ServesAnchor = "serves its anchor (the value one period earlier, or the previous value): ";

    private const string AnchorFallbackReason = ServesAnchor + "the adapted model fitted its latest support window worse";

    private const string OutOfSampleFallbackReason = ServesAnchor + "its previous adapted model forecast the points since its adaptation worse";

    private bool RefreshDue(ClusterModel model) =>
        _options.ModelRefreshInterval > TimeSpan.Zero && _clock.GetUtcNow() - model.RefreshedAt >= _options.ModelRefreshInterval;

    /// <summary>
    /// Meta-trains a copy of the cluster's initialisation further on the members' latest history. Early stopping keeps
    /// the best state on held-out series, the starting one included, so the copy replaces the initialisation (as a new
    /// version) only when it forecasts them better; otherwise the initialisation stays, checked as of now.
    /// </summary>
    private ClusterModel Refresh(SeriesCluster cluster, ClusterModel current, Dictionary<SeriesKey, SeriesWindow> histories,
        RunOutcome outcome, List<IMetaLearner> retired, CancellationToken cancellationToken)
    {
        var (windows, segments) = TrainingData(cluster, histories);
        var state = new MemoryStream();
        current.Learner.Save(state);
        var challenger = _learners.Create(current.Learner.Name, SettingsFor(current.Layout));
        try
        {
            challenger.Load(new MemoryStream(state.ToArray()));
            SetActivity($"refreshing {cluster.Id} ({challenger.Name})", 0);
            var progress = new Progress<MetaTrainingProgress>(p => SetActivity($"refreshing {cluster.Id} ({challenger.Name})", (double)p.Step / p.MaxSteps));
            var report = _trainer.Train(challenger, segments, current.Layout, TrainingOptions(), progress, cancellationToken);
            current.RefreshedAt = _clock.GetUtcNow();
            if (report.BestStep == 0)
            {
                challenger.Dispose();
                LogRefreshKept(cluster.Id, report.Steps, report.InitialValidationError);
                return current;
            }
            LogRefreshed(cluster.Id, report.InitialValidationError, report.ValidationError, report.BestStep);
            var model = Install(cluster.Id, new ClusterModel(challenger, current.Layout)
            {
                ValidationError = report.ValidationError,
                Report = report,
                RefreshedAt = current.RefreshedAt,
            }, retired);
            outcome.Trained.Add(new TrainedModel(cluster.Id, model, windows.Min(w => (DateTimeOffset?)w.Start), windows.Max(w => (DateTimeOffset?)w.End)));
            return model;
        }
        catch (ArgumentException e)
        {
            challenger.Dispose();
            current.RefreshedAt = _clock.GetUtcNow();
            LogRefreshImpossible(e, cluster.Id);
            return current;
        }
        catch
        {
            challenger.Dispose();
            throw;
        }
    }

    private (SeriesWindow[] Windows, SeriesSegment[] Segments) TrainingData(SeriesCluster cluster, Dictionary<SeriesKey, SeriesWindow> histories)
    {
        var windows = cluster.Members.Where(histories.ContainsKey).Select(k => histories[k]).ToArray();
        return (windows, windows.Select(w => Segment(w.Key, w)).ToArray());
    }

    private MetaTrainingOptions TrainingOptions() => new(
        MaxSteps: _options.MetaTrainingSteps,
        MetaBatchSize: _options.MetaBatchSize,
        ValidationInterval: Math.Max(10, _options.MetaTrainingSteps / 10),
        Patience: 3,
        TimeBudget: _options.MetaTrainingBudget,
        Seed: _options.Seed);

    [LoggerMessage(Level = LogLevel.Information, Message = "Refreshed the initialisation of cluster {Cluster}: held-out error {Before:G4} -> {After:G4} (best at step {Step}); a new version serves")]
    private partial void LogRefreshed(string cluster, double before, double after, int step);

    [LoggerMessage(Level = LogLevel.Information, Message = "Kept the initialisation of cluster {Cluster}: {Steps} more meta-training steps on the latest history did not beat its held-out error {Error:G4}")]
    private partial void LogRefreshKept(string cluster, int steps, double error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not refresh the initialisation of cluster {Cluster}; it keeps serving")]
    private partial void LogRefreshImpossible(Exception exception, string cluster);

    /// <summary>The cluster cannot be meta-trained yet (too little data): its series wait, the previous model keeps serving.</summary>
    private ClusterModel? Unready(SeriesCluster cluster, ArgumentException e, RunOutcome outcome, ClusterModel? current)
    {
        var reason = $"its cluster {cluster.Id} cannot be meta-trained yet: {e.Message}";
        foreach (var key in cluster.Members.Where(NeedsAdaptation))
        {
            Update(key, x => x! with { Status = SeriesModelStatus.Pending, Reason = reason });
        }
        outcome.Errors.Add($"{cluster.Id}: {e.Message}");
        return current;
    }

    private ClusterModel Install(string clusterId, ClusterModel model, List<IMetaLearner> retired)
    {
        if (_models.TryGetValue(clusterId, out var old))
        {
            retired.Add(old.Learner);
        }
        _models[clusterId] = model;
        return model;
    }

    /// <summary>
    /// Adapts the given members of a cluster in chunks and swaps them into serving; with <paramref name="judgePrevious"/>,
    /// a series whose current model forecast the points since its adaptation worse than its anchor serves the anchor.
    /// Returns how many were adapted.
    /// </summary>
    private int AdaptMembers(SeriesCluster cluster, ClusterModel model, IReadOnlyList<SeriesKey> keys, bool replace, bool judgePrevious,
        Dictionary<SeriesKey, SeriesWindow> histories, CancellationToken cancellationToken)
    {
        var layout = model.Layout;
        var needed = layout.ServingSpan;
        var ready = new List<(SeriesKey Key, SeriesWindow Window)>();
        foreach (var key in keys)
        {
            if (histories.TryGetValue(key, out var window) && window.Count >= needed)
            {
                ready.Add((key, window.TakeLast(needed)));
            }
            else
            {
                Update(key, e => e! with { Status = SeriesModelStatus.Pending, Reason = $"fewer than the {needed} points one adaptation needs" });
            }
        }
        _serving.TryGetValue(cluster.Id, out var previous);
        var keep = !replace && previous is not null && previous.Layout == layout ? previous.Chunks : [];
        var serving = new ClusterServing(layout, [.. keep]);
        var horizon = HorizonFor(layout);
        var adaptedAt = _clock.GetUtcNow();
        var slots = new List<(SeriesKey Key, SeriesEntry Entry)>();
        var parts = ready.Chunk(ChunkSize).ToArray();
        var workers = AdaptationWorkers;
        for (var first = 0; first < parts.Length; first += ChunksPerRound * workers)
        {
            cancellationToken.ThrowIfCancellationRequested();
            SetActivity($"adapting {cluster.Id}", (double)first / parts.Length);
            var round = parts.Skip(first).Take(ChunksPerRound * workers).ToArray();
            var segments = round.Select(part => part.Select(p => Segment(p.Key, p.Window)).ToArray()).ToArray();
            var lost = judgePrevious ? PreviousModelsLost(round, segments, layout) : null;
            var chunks = ConcurrentChunkAdaptation.Adapt(model.Learner, segments, layout, horizon, workers, cancellationToken, lost);
            for (var c = 0; c < round.Length; c++)
            {
                var chunk = chunks[c];
                var index = serving.Chunks.Count;
                serving.Chunks.Add(new ServedChunk(chunk));
                for (var t = 0; t < round[c].Length; t++)
                {
                    var (key, window) = round[c][t];
                    var forecast = new SeriesForecast(key, window.End + window.Step, window.Step, chunk.Forecasts[t], chunk.ResidualScales[t], adaptedAt);
                    var slot = new ServingSlot(serving, index, t, chunk.Normalisations[t]);
                    var current = _series.TryGetValue(key, out var e) ? e : new SeriesEntry(key, window.Step, cluster.Period, [], cluster.Id, SeriesModelStatus.Pending, null);
                    if (!double.IsFinite(chunk.ResidualScales[t]) || !chunk.Forecasts[t].All(double.IsFinite))
                    {
                        slots.Add((key, current with { ClusterId = cluster.Id, Status = SeriesModelStatus.Failed, Slot = null, Reason = "adaptation diverged (non-finite forecast) on its latest support window" }));
                        continue;
                    }
                    slots.Add((key, current with
                    {
                        ClusterId = cluster.Id,
                        Status = SeriesModelStatus.Adapted,
                        Reason = lost?[c][t] == true ? OutOfSampleFallbackReason : chunk.ServesAnchor(t) ? AnchorFallbackReason : null,
                        Learner = model.Learner.Name,
                        AdaptedAt = adaptedAt,
                        ResidualScale = chunk.ResidualScales[t],
                        Slot = slot,
                        Forecast = forecast,
                    }));
                }
            }
        }
        lock (_servingLock)
        {
            foreach (var (key, entry) in slots)
            {
                _series[key] = entry;
            }
            _serving[cluster.Id] = serving;
            if (previous is not null && !ReferenceEquals(keep, previous.Chunks))
            {
                previous.DisposeChunks();
            }
        }
        return slots.Count(s => s.Entry.Status == SeriesModelStatus.Adapted);
    }

    /// <summary>
    /// For each series of <paramref name="round"/>, whether the model it serves now forecast the points that arrived since
    /// its adaptation worse than its anchor (<see cref="OutOfSampleJudge"/>); false for a series with no live model of
    /// this layout. Judges the adapted model itself, also where it served its anchor.
    /// </summary>
    private bool[][] PreviousModelsLost((SeriesKey Key, SeriesWindow Window)[][] round, SeriesSegment[][] segments, EpisodeLayout layout)
    {
        var verdicts = round.Select(part => new bool[part.Length]).ToArray();
        var byChunk = new Dictionary<ServedChunk, List<(int Part, int Index, JudgedSeries Series)>>();
        for (var p = 0; p < round.Length; p++)
        {
            for (var i = 0; i < round[p].Length; i++)
            {
                var (key, window) = round[p][i];
                if (_series.TryGetValue(key, out var entry) && entry is { Status: SeriesModelStatus.Adapted, Slot: { } slot, Forecast: { } forecast }
                    && slot.Cluster.Layout == layout)
                {
                    var from = (int)Math.Ceiling((forecast.Start - window.Start) / window.Step);
                    var chunk = slot.Cluster.Chunks[slot.Chunk];
                    if (!byChunk.TryGetValue(chunk, out var items))
                    {
                        byChunk[chunk] = items = [];
                    }
                    items.Add((p, i, new JudgedSeries(slot.Task, segments[p][i], Math.Max(0, from), slot.Normalisation)));
                }
            }
        }
        foreach (var (chunk, items) in byChunk)
        {
            lock (_servingLock)
            {
                if (chunk.Disposed)
                {
                    continue;
                }
                var adapted = chunk.Adapted.Model is AnchorFallback fallback ? fallback.Adapted : chunk.Adapted.Model;
                var lost = OutOfSampleJudge.ModelLost(adapted, items.Select(item => item.Series).ToArray(), layout, Device);
                for (var k = 0; k < items.Count; k++)
                {
                    verdicts[items[k].Part][items[k].Index] = lost[k];
                }
            }
        }
        return verdicts;
    }

    private void RetireVanishedClusters(IReadOnlyList<SeriesCluster> clusters)
    {
        lock (_servingLock)
        {
            foreach (var id in _serving.Keys.Where(id => clusters.All(c => c.Id != id)).ToArray())
            {
                _serving.Remove(id, out var serving);
                serving!.DisposeChunks();
            }
        }
    }

    /// <summary>The window as a segment, with the slots the detector masked (confirmed anomalies) set to gaps.</summary>
    private SeriesSegment Segment(SeriesKey key, SeriesWindow window)
    {
        var values = (double[])window.Values.Clone();
        if (_mask is not null && values.Length > 0)
        {
            foreach (var interval in _mask.MaskedIntervals(key, window.Start, window.End))
            {
                for (var i = 0; i < values.Length; i++)
                {
                    if (interval.Contains(window.TimestampAt(i)))
                    {
                        values[i] = double.NaN;
                    }
                }
            }
        }
        return new SeriesSegment(values, SeriesSegment.SlotIndex(window.Start, window.Step));
    }

    private void Update(SeriesKey key, Func<SeriesEntry?, SeriesEntry> change) =>
        _series.AddOrUpdate(key, _ => change(null), (_, e) => change(e));

    private void SetActivity(string stage, double fraction)
    {
        var since = _activity is { } current && current.Stage == stage ? current.Since : _clock.GetUtcNow();
        _activity = new ForecastingActivity(stage, Math.Clamp(fraction, 0, 1), since);
    }
}
