using System.Collections.Immutable;
using MetaAnomaly.Forecasting.Clustering;
using MetaAnomaly.Forecasting.Engine;
using MetaAnomaly.Forecasting.Episodes;
using MetaAnomaly.Forecasting.Planning;
using MetaAnomaly.Forecasting.ReadModel;
using MetaAnomaly.Forecasting.Runs;
using MetaAnomaly.Forecasting.Training;
using MetaAnomaly.Shared.Forecasts;
using MetaAnomaly.Shared.Series;

namespace MetaAnomaly.Forecasting.Serving;

/// <summary>
/// Adapts a cluster's series in chunks, several chunks at once (<see cref="ConcurrentChunkAdaptation"/>), and swaps the
/// result into serving as one new <see cref="ServingSnapshot"/> with the series' entries. A series serves its anchor
/// when its adapted model fitted its support worse (<see cref="AnchorFallback"/>) or its previous model forecast the
/// points since its adaptation worse (<see cref="OutOfSampleJudge"/>).
/// </summary>
internal sealed class BatchedAdapter(
    SeriesStates states,
    ServingSnapshots snapshots,
    ForecastingSetup setup,
    RunProgress progress,
    TimeProvider clock) : IBatchedAdapter
{
    /// <summary>Chunks per worker handed over at once: bounds the segments held in memory for a large cluster.</summary>
    private const int ChunksPerRound = 4;

    private const string ServesAnchor = "serves its anchor (the value one period earlier, or the previous value): ";

    private const string AnchorFallbackReason = ServesAnchor + "the adapted model fitted its latest support window worse";

    private const string OutOfSampleFallbackReason = ServesAnchor + "its previous adapted model forecast the points since its adaptation worse";

    public int Adapt(AdaptationTarget target, ClusterModel model, bool judgePrevious, SeriesHistories histories, CancellationToken cancellationToken)
    {
        var cluster = target.Cluster;
        var layout = model.Layout;
        // In cold start one support of points is enough: the pairs whose lags reach before the series' first point are masked.
        var needed = target.ColdStart ? layout.SupportSize : layout.ServingSpan;
        var ready = new List<(SeriesKey Key, SeriesWindow Window)>();
        foreach (var key in target.Keys)
        {
            if (histories.TryGet(key, out var window) && window.Count >= needed)
            {
                ready.Add((key, window.TakeLast(Math.Min(window.Count, layout.HistorySpan))));
            }
            else
            {
                states.Update(key, e => e!.Unserved(SeriesModelStatus.Pending, $"fewer than the {needed} points one adaptation needs"));
            }
        }
        var previous = snapshots.Of(cluster.Id);
        var kept = !target.Replace && previous is not null && previous.Layout == layout ? previous.Chunks : [];
        var adaptedAt = clock.GetUtcNow();
        var adapted = AdaptInRounds(cluster.Id, model, ready, judgePrevious, histories, cancellationToken);
        var snapshot = new ServingSnapshot(cluster.Id, layout, [.. kept, .. adapted.Select(a => new ServedChunk(a.Chunk))]) { ColdStartSource = target.ColdStartSource };
        var entries = new List<SeriesEntry>();
        for (var c = 0; c < adapted.Count; c++)
        {
            var (chunk, part, lost) = adapted[c];
            for (var t = 0; t < part.Length; t++)
            {
                var (key, window) = part[t];
                var current = states.TryGet(key, out var e) ? e
                    : new SeriesEntry(key, window.Step, target.ColdStart ? null : cluster.Period, [], target.ColdStart ? null : cluster.Id, SeriesModelStatus.Pending, null);
                if (!double.IsFinite(chunk.ResidualScales[t]) || !chunk.Forecasts[t].All(double.IsFinite))
                {
                    entries.Add(current with { ClusterId = ClusterIdOf(current), Status = SeriesModelStatus.Failed, Slot = null, Reason = "adaptation diverged (non-finite forecast) on its latest support window" });
                    continue;
                }
                entries.Add(current with
                {
                    ClusterId = ClusterIdOf(current),
                    Status = SeriesModelStatus.Adapted,
                    Reason = lost?[t] == true ? OutOfSampleFallbackReason : chunk.ServesAnchor(t) ? AnchorFallbackReason : target.ColdStart ? current.Reason : null,
                    Learner = model.Learner.Name,
                    AdaptedAt = adaptedAt,
                    ResidualScale = chunk.ResidualScales[t],
                    Slot = new ServingSlot(snapshot, kept.Length + c, t, chunk.Normalisations[t]),
                    Forecast = new SeriesForecast(key, window.End + window.Step, window.Step, chunk.Forecasts[t], chunk.ResidualScales[t], adaptedAt),
                });
            }
        }
        snapshots.Publish(cluster.Id, snapshot, entries);
        return entries.Count(e => e.Status == SeriesModelStatus.Adapted);

        // Series in cold start stay in no cluster (or in the one they just joined), with the planner's reason.
        string? ClusterIdOf(SeriesEntry entry) => target.ColdStart ? entry.ClusterId : cluster.Id;
    }

    public void RetireVanished(IReadOnlyList<SeriesCluster> clusters) =>
        snapshots.RetireAllBut(clusters.Select(c => c.Id).Append(AdaptationTarget.ColdStartId).ToHashSet(StringComparer.Ordinal));

    /// <summary>
    /// Every chunk of <paramref name="ready"/> adapted, with its series and, when judged, which of them serve their anchor
    /// because their previous model lost. On failure the chunks already adapted are disposed.
    /// </summary>
    private List<(AdaptedChunk Chunk, (SeriesKey Key, SeriesWindow Window)[] Part, bool[]? Lost)> AdaptInRounds(string clusterId, ClusterModel model,
        List<(SeriesKey Key, SeriesWindow Window)> ready, bool judgePrevious, SeriesHistories histories, CancellationToken cancellationToken)
    {
        var layout = model.Layout;
        var horizon = setup.HorizonFor(layout);
        var parts = ready.Chunk(setup.ChunkSize).ToArray();
        var workers = setup.AdaptationWorkers;
        var adapted = new List<(AdaptedChunk Chunk, (SeriesKey Key, SeriesWindow Window)[] Part, bool[]? Lost)>();
        try
        {
            for (var first = 0; first < parts.Length; first += ChunksPerRound * workers)
            {
                cancellationToken.ThrowIfCancellationRequested();
                progress.Report($"adapting {clusterId}", (double)first / parts.Length);
                var round = parts.Skip(first).Take(ChunksPerRound * workers).ToArray();
                var segments = round.Select(part => part.Select(p => histories.Segment(p.Key, p.Window)).ToArray()).ToArray();
                var lost = judgePrevious ? PreviousModelsLost(round, segments, layout) : null;
                var chunks = ConcurrentChunkAdaptation.Adapt(model.Learner, segments, layout, horizon, workers, cancellationToken, lost, !setup.Options.ServeInitialisation);
                for (var c = 0; c < round.Length; c++)
                {
                    adapted.Add((chunks[c], round[c], lost?[c]));
                }
            }
            return adapted;
        }
        catch
        {
            foreach (var (chunk, _, _) in adapted)
            {
                chunk.Dispose();
            }
            throw;
        }
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
                if (states.TryGet(key, out var entry) && entry is { Status: SeriesModelStatus.Adapted, Slot: { } slot, Forecast: { } forecast }
                    && slot.Snapshot.Layout == layout)
                {
                    var from = (int)Math.Ceiling((forecast.Start - window.Start) / window.Step);
                    var chunk = slot.Snapshot.Chunks[slot.Chunk];
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
            snapshots.Read(() =>
            {
                if (chunk.Disposed)
                {
                    return;
                }
                var adapted = chunk.Adapted.Model is AnchorFallback fallback ? fallback.Adapted : chunk.Adapted.Model;
                var lost = OutOfSampleJudge.ModelLost(adapted, items.Select(item => item.Series).ToArray(), layout, setup.Device);
                for (var k = 0; k < items.Count; k++)
                {
                    verdicts[items[k].Part][items[k].Index] = lost[k];
                }
            });
        }
        return verdicts;
    }
}
