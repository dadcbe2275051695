using MetaAnomaly.Forecasting.Learners;
using static TorchSharp.torch;

namespace MetaAnomaly.Forecasting.Episodes;

/// <summary>
/// Turns regular series windows into batched, normalised support and query tensors. Normalisation is per task from
/// its support window (the lags before the first support target through the last support target), done once here.
/// A pair whose target or any lag is a gap gets mask 0; the gap's input is the task mean (0 once normalised).
/// </summary>
public static class EpisodeBuilder
{
    public static Episode Build(IReadOnlyList<TaskCut> cuts, EpisodeLayout layout, Device device)
    {
        layout.Validate();
        var normalisations = new TaskNormalisation[cuts.Count];
        var support = new PairBuffer(cuts.Count, layout.SupportSize, layout.InputSize);
        var query = new PairBuffer(cuts.Count, layout.QuerySize, layout.InputSize);
        for (var t = 0; t < cuts.Count; t++)
        {
            var (segment, start) = cuts[t];
            if (start < layout.Lags || start + layout.SupportSize + layout.QuerySize > segment.Count)
            {
                throw new ArgumentException($"Task {t} needs slots {start - layout.Lags}..{start + layout.SupportSize + layout.QuerySize - 1} of a segment of {segment.Count}.");
            }
            normalisations[t] = TaskNormalisation.FromObserved(segment.Values.AsSpan(start - layout.Lags, layout.Lags + layout.SupportSize));
            support.FillTask(t, segment, start, layout, normalisations[t]);
            query.FillTask(t, segment, start + layout.SupportSize, layout, normalisations[t]);
        }
        return new Episode(new EpisodeBatch(support.ToTaskSet(device), query.ToTaskSet(device)), normalisations);
    }

    /// <summary>
    /// Serving support sets: for each segment, its last <see cref="EpisodeLayout.SupportSize"/> targets (fewer pairs
    /// are masked when the segment is short). Normalisation as in <see cref="Build"/>.
    /// </summary>
    public static (TaskSet Support, TaskNormalisation[] Normalisations) BuildLatestSupport(
        IReadOnlyList<SeriesSegment> segments, EpisodeLayout layout, Device device)
    {
        layout.Validate();
        var normalisations = new TaskNormalisation[segments.Count];
        var support = new PairBuffer(segments.Count, layout.SupportSize, layout.InputSize);
        for (var t = 0; t < segments.Count; t++)
        {
            var segment = segments[t];
            var start = segment.Count - layout.SupportSize;
            var from = Math.Max(0, start - layout.Lags);
            normalisations[t] = TaskNormalisation.FromObserved(segment.Values.AsSpan(from));
            support.FillTask(t, segment, start, layout, normalisations[t]);
        }
        return (support.ToTaskSet(device), normalisations);
    }

    /// <summary>
    /// Writes one pair's D inputs for the target at segment index <paramref name="target"/> (lags read from the
    /// segment; indices before 0 count as gaps). Returns false when a lag is a gap.
    /// </summary>
    public static bool FillInputs(Span<float> destination, SeriesSegment segment, int target, EpisodeLayout layout, TaskNormalisation normalisation)
    {
        var complete = true;
        for (var j = 0; j < layout.Lags; j++)
        {
            var index = target - layout.Lags + j;
            var value = index >= 0 && index < segment.Count ? segment.Values[index] : double.NaN;
            if (double.IsFinite(value))
            {
                destination[j] = (float)normalisation.Normalise(value);
            }
            else
            {
                destination[j] = 0f;
                complete = false;
            }
        }
        WritePhase(destination[layout.Lags..], segment.PhaseOrigin + target, layout.Period);
        return complete;
    }

    /// <summary>sin and cos of 2 pi (slot mod period) / period; zeros when aperiodic.</summary>
    public static void WritePhase(Span<float> destination, long slot, int period)
    {
        if (period < 2)
        {
            destination[0] = 0f;
            destination[1] = 0f;
            return;
        }
        var angle = 2 * Math.PI * (((slot % period) + period) % period) / period;
        destination[0] = (float)Math.Sin(angle);
        destination[1] = (float)Math.Cos(angle);
    }

    private sealed class PairBuffer(int tasks, int pairs, int inputSize)
    {
        private readonly float[] _inputs = new float[tasks * pairs * inputSize];
        private readonly float[] _targets = new float[tasks * pairs];
        private readonly float[] _mask = new float[tasks * pairs];

        public void FillTask(int task, SeriesSegment segment, int firstTarget, EpisodeLayout layout, TaskNormalisation normalisation)
        {
            for (var n = 0; n < pairs; n++)
            {
                var target = firstTarget + n;
                var offset = task * pairs + n;
                var complete = FillInputs(_inputs.AsSpan(offset * inputSize, inputSize), segment, target, layout, normalisation);
                var value = target >= 0 && target < segment.Count ? segment.Values[target] : double.NaN;
                var observed = complete && double.IsFinite(value);
                _targets[offset] = observed ? (float)normalisation.Normalise(value) : 0f;
                _mask[offset] = observed ? 1f : 0f;
            }
        }

        public TaskSet ToTaskSet(Device device)
        {
            using var scope = NewDisposeScope();
            var inputs = tensor(_inputs, [tasks, pairs, inputSize]).to(device);
            var targets = tensor(_targets, [tasks, pairs]).to(device);
            var mask = tensor(_mask, [tasks, pairs]).to(device);
            return new TaskSet(inputs.DetachFromDisposeScope(), targets.DetachFromDisposeScope(), mask.DetachFromDisposeScope());
        }
    }
}
