using MetaAnomaly.Forecasting.Engine;
using MetaAnomaly.Forecasting.Episodes;
using MetaAnomaly.Shared.Forecasts;
using MetaAnomaly.Shared.Series;
using static TorchSharp.torch;
using MetaAnomaly.Shared.Telemetry;

namespace MetaAnomaly.Forecasting.Serving;

/// <summary>
/// One-step forecasts for the detector from the current serving snapshots, one forward pass per chunk asked for.
/// Reads only: a series whose chunk was swapped out meanwhile answers that it is being re-adapted.
/// </summary>
internal sealed class OneStepForecaster(SeriesStates states, ServingSnapshots snapshots, ForecastingSetup setup) : IOneStepForecaster
{
    public IReadOnlyList<OneStepForecast> ForecastNext(IReadOnlyList<OneStepRequest> requests)
    {
        var started = TimeProvider.System.GetTimestamp();
        var results = new OneStepForecast[requests.Count];
        var byChunk = new Dictionary<(ServingSnapshot Snapshot, int Chunk), List<(int Request, ServingSlot Slot)>>();
        for (var i = 0; i < requests.Count; i++)
        {
            var key = requests[i].Key;
            if (!states.TryGet(key, out var entry) || entry.Slot is null || entry.Status != SeriesModelStatus.Adapted)
            {
                results[i] = OneStepForecast.Unavailable(key, entry?.Reason ?? "unknown series: not yet seen by the forecasting core");
                continue;
            }
            var group = (entry.Slot.Snapshot, entry.Slot.Chunk);
            if (!byChunk.TryGetValue(group, out var list))
            {
                byChunk[group] = list = [];
            }
            list.Add((i, entry.Slot));
        }
        snapshots.Read(() =>
        {
            foreach (var ((snapshot, chunkIndex), items) in byChunk)
            {
                Forecast(snapshot.Layout, snapshot.Chunks[chunkIndex], items, requests, results);
            }
        });
        ProductMetrics.Forecasted(TimeProvider.System.GetElapsedTime(started));
        return results;
    }

    public SeriesModelState StateOf(SeriesKey key) => states.StateOf(key);

    private void Forecast(EpisodeLayout layout, ServedChunk chunk, List<(int Request, ServingSlot Slot)> items, IReadOnlyList<OneStepRequest> requests, OneStepForecast[] results)
    {
        if (chunk.Disposed)
        {
            foreach (var (request, _) in items)
            {
                results[request] = OneStepForecast.Unavailable(requests[request].Key, "the series is being re-adapted");
            }
            return;
        }
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
            var batch = tensor(inputs, [tasks, rows, layout.InputSize]).to(setup.Device);
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
