using System.Collections.Concurrent;
using System.Diagnostics;
using MetaAnomaly.Forecasting.Clustering;
using MetaAnomaly.Forecasting.Engine;
using MetaAnomaly.Forecasting.Episodes;
using MetaAnomaly.Forecasting.Extensions;
using MetaAnomaly.Forecasting.Learners;
using MetaAnomaly.Forecasting.Learners.Selection;
using MetaAnomaly.Forecasting.Periods;
using MetaAnomaly.Forecasting.ReadModel;
using MetaAnomaly.Forecasting.Registry;
using MetaAnomaly.Forecasting.Training;
using MetaAnomaly.Shared.Forecasts;
using MetaAnomaly.Shared.Series;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Quartz;
using static TorchSharp.torch;

namespace MetaAnomaly.Forecasting.Serving;

/// <summary>
/// The forecasting core at run time: detects periods, clusters series, keeps one meta-initialisation per cluster
/// (trained here or loaded from the <see cref="ModelRegistry"/>), adapts every series of a cluster in chunks, and
/// serves one-step forecasts to the detector in one forward pass per chunk. Runs (catch-up, daily, on demand) are
/// serialised; serving reads immutable snapshots and never waits for a run, only for a chunk swap.
/// </summary>
public sealed partial class ForecastingService : IOneStepForecaster, IForecastingReadModel, IForecastingCommands, IForecastingRuns, IDisposable
{
    private readonly ISeriesBuffers _buffers;
    private readonly MetaLearnerRegistry _learners;
    private readonly ModelRegistry _registry;
    private readonly ForecastingOptions _options;
    private readonly TimeProvider _clock;
    private readonly ILogger<ForecastingService> _logger;
    private readonly IAdaptationMask? _mask;
    private readonly Lazy<Device> _device;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly object _servingLock = new();
    private readonly ConcurrentDictionary<SeriesKey, SeriesEntry> _series = new();
    private readonly ConcurrentDictionary<string, ClusterModel> _models = new(StringComparer.Ordinal);
    private readonly Dictionary<string, ClusterServing> _serving = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (ModelRecord Record, byte[]? State)> _stored = new(StringComparer.Ordinal);
    private readonly PeriodDetector _periods;
    private readonly PeriodClusterer _clusterer = new();
    private readonly MetaTrainer _trainer = new();
    private readonly LearnerSelector _selector;
    private readonly LearnerSelectionOptions _selection;
    private volatile IReadOnlyList<SeriesCluster> _clusters = [];
    private volatile bool _storedLoaded;
    private volatile ForecastingActivity? _activity;
    private volatile AdaptationRunSummary? _lastRun;

    public ForecastingService(
        ISeriesBuffers buffers,
        MetaLearnerRegistry learners,
        ModelRegistry registry,
        IOptions<ForecastingOptions> options,
        TimeProvider clock,
        ILogger<ForecastingService> logger,
        IEnumerable<IAdaptationMask> masks,
        LearnerSelector selector,
        IOptions<LearnerSelectionOptions> selection)
    {
        _selector = selector;
        _selection = selection.Value;
        _buffers = buffers;
        _learners = learners;
        _registry = registry;
        _options = options.Value;
        _clock = clock;
        _logger = logger;
        _mask = masks.FirstOrDefault();
        _periods = new PeriodDetector(_options.MaxPeriod);
        _device = new(() => DeviceSelector.Select(_options.Device));
    }

    public Device Device => _device.Value;

    public int ChunkSize => DeviceSelector.ChunkSize(Device, _options.ChunkSize, ForecastingOptions.Defaults.CpuChunkSize, ForecastingOptions.Defaults.CudaChunkSize);

    /// <summary>Threads adapting chunks at once (<c>Forecasting:AdaptationThreads</c>, 0 = one per processor).</summary>
    public int AdaptationWorkers => _options.AdaptationThreads > 0 ? _options.AdaptationThreads : Environment.ProcessorCount;

    /// <summary>Chunks per worker handed over at once: bounds the segments held in memory for a large cluster.</summary>
    private const int ChunksPerRound = 4;

    // ---- serving ----

    public IReadOnlyList<OneStepForecast> ForecastNext(IReadOnlyList<OneStepRequest> requests)
    {
        var results = new OneStepForecast[requests.Count];
        var byChunk = new Dictionary<(ClusterServing Cluster, int Chunk), List<(int Request, ServingSlot Slot)>>();
        for (var i = 0; i < requests.Count; i++)
        {
            var key = requests[i].Key;
            if (!_series.TryGetValue(key, out var entry) || entry.Slot is null || entry.Status != SeriesModelStatus.Adapted)
            {
                results[i] = OneStepForecast.Unavailable(key, entry?.Reason ?? "unknown series: not yet seen by the forecasting core");
                continue;
            }
            var group = (entry.Slot.Cluster, entry.Slot.Chunk);
            if (!byChunk.TryGetValue(group, out var list))
            {
                byChunk[group] = list = [];
            }
            list.Add((i, entry.Slot));
        }
        lock (_servingLock)
        {
            foreach (var ((cluster, chunkIndex), items) in byChunk)
            {
                var chunk = cluster.Chunks[chunkIndex];
                if (chunk.Disposed)
                {
                    foreach (var (request, _) in items)
                    {
                        results[request] = OneStepForecast.Unavailable(requests[request].Key, "the series is being re-adapted");
                    }
                    continue;
                }
                var layout = cluster.Layout;
                var tasks = chunk.Adapted.Model.TaskCount;
                // A series catching up asks for several points at once: each gets its own row of its task.
                var rowOf = new int[items.Count];
                var rowsUsed = new int[tasks];
                for (var k = 0; k < items.Count; k++)
                {
                    rowOf[k] = rowsUsed[items[k].Slot.Task]++;
                }
                var rows = rowsUsed.Max();
                var inputs = new float[tasks * rows * layout.InputSize];
                var segments = new SeriesSegment[items.Count];
                for (var k = 0; k < items.Count; k++)
                {
                    var (request, slot) = items[k];
                    var history = requests[request].History;
                    segments[k] = new SeriesSegment(history.Values, SeriesSegment.SlotIndex(history.Start, history.Step));
                    var offset = (slot.Task * rows + rowOf[k]) * layout.InputSize;
                    EpisodeBuilder.FillInputs(inputs.AsSpan(offset, layout.InputSize), segments[k], segments[k].Count, layout, slot.Normalisation);
                }
                float[] outputs;
                using (var scope = NewDisposeScope())
                {
                    var batch = tensor(inputs, [tasks, rows, layout.InputSize]).to(Device);
                    outputs = chunk.Adapted.Model.Predict(batch).cpu().data<float>().ToArray();
                }
                for (var k = 0; k < items.Count; k++)
                {
                    var (request, slot) = items[k];
                    var value = EpisodeBuilder.ToSeriesUnits(outputs[slot.Task * rows + rowOf[k]], segments[k], segments[k].Count, layout, slot.Normalisation);
                    results[request] = new OneStepForecast(requests[request].Key, true, value, chunk.Adapted.ResidualScales[slot.Task], null)
                    {
                        Anchor = EpisodeBuilder.ToSeriesUnits(0f, segments[k], segments[k].Count, layout, slot.Normalisation),
                    };
                }
            }
        }
        return results;
    }

    public SeriesModelState StateOf(SeriesKey key) => _series.TryGetValue(key, out var entry)
        ? entry.ToState()
        : new SeriesModelState(key, SeriesModelStatus.WarmingUp, null, null, null, null, double.NaN, "not yet seen by the forecasting core");

    // ---- read model ----

    public IReadOnlyList<ClusterSummary> Clusters() => _clusters.Select(Summarise).ToArray();

    public ClusterSummary? Cluster(string clusterId) => _clusters.FirstOrDefault(c => c.Id == clusterId) is { } cluster ? Summarise(cluster) : null;

    public IReadOnlyList<SeriesModelState> SeriesStates() => _series.Values.OrderBy(e => e.Key).Select(e => e.ToState()).ToArray();

    public SeriesForecast? ForecastOf(SeriesKey key) => _series.TryGetValue(key, out var entry) ? entry.Forecast : null;

    public AdaptationRunSummary? LastAdaptation => _lastRun;

    public DateTimeOffset? NextScheduledAdaptation =>
        new CronExpression(_options.AdaptationCron).GetNextValidTimeAfter(_clock.GetUtcNow());

    public ForecastingActivity? CurrentActivity => _activity;

    public IReadOnlyList<string> AvailableLearners => _learners.Names;

    private ClusterSummary Summarise(SeriesCluster cluster)
    {
        _models.TryGetValue(cluster.Id, out var model);
        var step = cluster.Members.Select(k => _series.TryGetValue(k, out var e) ? e.Step : null).FirstOrDefault(s => s is not null);
        return new ClusterSummary(cluster.Id, cluster.Period, cluster.Members, model?.Record?.Learner ?? model?.Learner.Name,
            model?.Record?.Version, model?.ValidationError, model?.Record?.CreatedAt, cluster.Medoid, cluster.Description(step));
    }

    // ---- commands ----

    public Task<AdaptationRunSummary> AdaptNowAsync(string? clusterId, CancellationToken cancellationToken) =>
        RunAsync(clusterId is null ? "on-demand" : $"on-demand {clusterId}", clusterId is null ? RunKind.Full : RunKind.Cluster, clusterId, null, cancellationToken);

    public async Task<MetaTrainingReport> RetrainAsync(string clusterId, string? learner, CancellationToken cancellationToken)
    {
        if (_clusters.All(c => c.Id != clusterId))
        {
            throw new KeyNotFoundException($"No cluster '{clusterId}'.");
        }
        if (learner is not null && !_learners.Contains(learner))
        {
            throw new ArgumentException($"No learner named '{learner}'. Registered: {string.Join(", ", _learners.Names)}.", nameof(learner));
        }
        await RunAsync($"retrain {clusterId}", RunKind.Retrain, clusterId, learner, cancellationToken);
        return _models.TryGetValue(clusterId, out var model) && model.Report is { } report
            ? report
            : throw new InvalidOperationException($"Cluster '{clusterId}' could not be meta-trained: {_lastRun?.Errors.FirstOrDefault()}");
    }

    /// <summary>The daily run: periods re-detected, full re-clustering (ids kept), every series adapted.</summary>
    public Task<AdaptationRunSummary> RunScheduledAsync(CancellationToken cancellationToken) =>
        RunAsync("schedule", RunKind.Full, null, null, cancellationToken);

    /// <summary>Picks up new and warming-up series: period, cluster (joining the nearest), model, adaptation.</summary>
    public Task<AdaptationRunSummary> CatchUpAsync(CancellationToken cancellationToken) =>
        RunAsync("catch-up", RunKind.CatchUp, null, null, cancellationToken);

    private async Task<AdaptationRunSummary> RunAsync(string trigger, RunKind kind, string? clusterId, string? learner, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            await LoadStoredModelsAsync(cancellationToken);
            var started = _clock.GetUtcNow();
            var run = await Task.Run(() => Run(kind, clusterId, learner, cancellationToken), cancellationToken);
            foreach (var trained in run.Trained)
            {
                try
                {
                    var state = new MemoryStream();
                    trained.Model.Learner.Save(state);
                    trained.Model.Record = await _registry.SaveAsync(trained.ClusterId, trained.Model.Learner.Name, trained.Model.Layout.ToString(),
                        trained.DataFrom, trained.DataTo, trained.Model.ValidationError ?? double.NaN, state.ToArray(), cancellationToken);
                    if (trained.Model.Candidates is { } candidates)
                    {
                        await _registry.SaveCandidatesAsync(trained.Model.Record, candidates, cancellationToken);
                    }
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    run.Errors.Add($"{trained.ClusterId}: the trained model could not be stored ({e.Message}); it serves from memory");
                    _logger.LogError(e, "Storing the model of cluster {Cluster} failed", trained.ClusterId);
                }
            }
            var summary = new AdaptationRunSummary(trigger, clusterId, started, _clock.GetUtcNow() - started, run.SeriesAdapted, run.ClustersAdapted, run.Errors);
            if (run.SeriesAdapted > 0 || kind != RunKind.CatchUp || run.Errors.Count > 0)
            {
                _lastRun = summary;
                _logger.LogInformation("Forecasting run ({Trigger}) adapted {Series} series in {Clusters} clusters in {Seconds:F2} s with {Errors} errors",
                    trigger, run.SeriesAdapted, run.ClustersAdapted, summary.Duration.TotalSeconds, run.Errors.Count);
            }
            return summary;
        }
        finally
        {
            _activity = null;
            _gate.Release();
        }
    }

    private async Task LoadStoredModelsAsync(CancellationToken cancellationToken)
    {
        if (_storedLoaded)
        {
            return;
        }
        foreach (var record in await _registry.CurrentAsync(cancellationToken))
        {
            _stored[record.ClusterId] = (record, await _registry.TryReadStateAsync(record, cancellationToken));
        }
        _storedLoaded = true;
    }

    public void Dispose()
    {
        lock (_servingLock)
        {
            foreach (var serving in _serving.Values)
            {
                serving.DisposeChunks();
            }
            _serving.Clear();
        }
        foreach (var model in _models.Values)
        {
            model.Learner.Dispose();
        }
        _gate.Dispose();
    }
}
