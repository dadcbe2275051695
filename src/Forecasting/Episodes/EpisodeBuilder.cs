using System.Collections.Concurrent;
using MetaAnomaly.Forecasting.Engine;
using MetaAnomaly.Forecasting.Learners;
using TorchSharp;
using static TorchSharp.torch;

namespace MetaAnomaly.Forecasting.Episodes;

/// <summary>
/// Turns regular series windows into batched, normalised support and query tensors. Normalisation is per task from
/// its support window (the lags before the first support target through the last support target), done once here.
/// A pair whose target, anchor or any lag is a gap gets mask 0; the gap's input is the task mean (0 once normalised).
/// With <see cref="EpisodeLayout.Anchored"/> a target is stored as its deviation from the pair's anchor.
/// </summary>
public static class EpisodeBuilder
{
    private static readonly ConcurrentDictionary<int, float[]> PhaseTables = new();

    public static Episode Build(IReadOnlyList<TaskCut> cuts, EpisodeLayout layout, Device device)
    {
        layout.Validate();
        var normalisations = new TaskNormalisation[cuts.Count];
        using var support = new PairBuffer(cuts.Count, layout.SupportSize, layout.InputSize);
        using var query = new PairBuffer(cuts.Count, layout.QuerySize, layout.InputSize);
        for (var t = 0; t < cuts.Count; t++)
        {
            var (segment, start) = cuts[t];
            if (start < layout.Reach || start + layout.SupportSize + layout.QuerySize > segment.Count)
            {
                throw new ArgumentException($"Task {t} needs slots {start - layout.Reach}..{start + layout.SupportSize + layout.QuerySize - 1} of a segment of {segment.Count}.");
            }
            normalisations[t] = TaskNormalisation.FromObserved(segment.Values.AsSpan(start - layout.Lags, layout.Lags + layout.SupportSize))
                with { Anchor = AnchorBlend.Choose(segment.Values, start + layout.SupportSize, layout) };
            support.FillTask(t, segment, start, layout, normalisations[t]);
            query.FillTask(t, segment, start + layout.SupportSize, layout, normalisations[t], layout.Direct);
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
        using var support = new PairBuffer(segments.Count, layout.SupportSize, layout.InputSize);
        for (var t = 0; t < segments.Count; t++)
        {
            var segment = segments[t];
            var start = segment.Count - layout.SupportSize;
            var from = Math.Max(0, start - layout.Lags);
            normalisations[t] = TaskNormalisation.FromObserved(segment.Values.AsSpan(from))
                with { Anchor = AnchorBlend.Choose(segment.Values, segment.Count, layout) };
            support.FillTask(t, segment, start, layout, normalisations[t]);
        }
        return (support.ToTaskSet(device), normalisations);
    }

    /// <summary>
    /// Writes one pair's D inputs for the target at segment index <paramref name="target"/>, forecast
    /// <paramref name="horizon"/> steps ahead: the lags end <paramref name="horizon"/> slots before the target (lags and
    /// anchor read from the segment; indices outside it count as gaps). Returns false when a lag or the anchor is a gap.
    /// </summary>
    public static bool FillInputs(Span<float> destination, SeriesSegment segment, int target, EpisodeLayout layout, TaskNormalisation normalisation, int horizon = 1)
    {
        var complete = FillWindow(destination[..layout.Lags], segment, target - horizon + 1, normalisation);
        if (layout.Anchored)
        {
            var anchor = RawAnchor(segment, target, layout, normalisation, horizon);
            destination[layout.AnchorIndex] = double.IsFinite(anchor) ? (float)normalisation.Normalise(anchor) : 0f;
            complete &= double.IsFinite(anchor);
        }
        if (layout.Direct)
        {
            destination[layout.HorizonIndex] = layout.HorizonFeature(horizon);
        }
        WritePhase(destination[(layout.InputSize - EpisodeLayout.PhaseFeatures)..], segment.PhaseOrigin + target, layout.Period);
        return complete;
    }

    /// <summary>
    /// Writes the normalised values of the <c>destination.Length</c> slots before segment index <paramref name="end"/>,
    /// 0 (the task mean) for a gap or a slot outside the segment; clipped to +-<see cref="TaskNormalisation.Clip"/>
    /// unless <paramref name="clipped"/> is false. Returns false when any was a gap.
    /// </summary>
    public static bool FillWindow(Span<float> destination, SeriesSegment segment, int end, TaskNormalisation normalisation, bool clipped = true)
    {
        var complete = true;
        for (var j = 0; j < destination.Length; j++)
        {
            complete &= WriteValue(destination, j, segment, end - destination.Length + j, normalisation, clipped);
        }
        return complete;
    }

    /// <summary>The normalised anchor of a pair whose inputs <see cref="FillInputs"/> wrote; 0 when not anchored.</summary>
    public static float AnchorOf(ReadOnlySpan<float> inputs, EpisodeLayout layout) => layout.Anchored ? inputs[layout.AnchorIndex] : 0f;

    /// <summary>
    /// A forecaster's output for the pair of segment index <paramref name="target"/> (forecast <paramref name="horizon"/>
    /// ahead), in series units: the deviation scaled back and added to the anchor's raw value, or, unanchored or when the
    /// anchor is a gap, the normalisation undone.
    /// </summary>
    /// <remarks>
    /// The raw anchor, not its clipped input: after the level leaves the support window's mean +- <see
    /// cref="TaskNormalisation.Clip"/> scales (a CPU pinned at 100 % after weeks near 40), a forecast from the clipped
    /// anchor would stay at the clip until the next adaptation and every point would be an anomaly.
    /// </remarks>
    public static double ToSeriesUnits(float output, SeriesSegment segment, int target, EpisodeLayout layout, TaskNormalisation normalisation, int horizon = 1)
    {
        var anchor = layout.Anchored ? RawAnchor(segment, target, layout, normalisation, horizon) : double.NaN;
        return double.IsFinite(anchor) ? anchor + output * normalisation.Scale : normalisation.Denormalise(output);
    }

    /// <summary>The anchor of the pair of segment index <paramref name="target"/>, in series units: one step ahead the
    /// task's blend, further ahead (direct horizons) the latest observed same-phase slot; NaN when a slot it reads is a
    /// gap or outside the segment.</summary>
    private static double RawAnchor(SeriesSegment segment, int target, EpisodeLayout layout, TaskNormalisation normalisation, int horizon)
    {
        if (horizon == 1)
        {
            return normalisation.Anchor.ValueAt(segment.Values, target, layout);
        }
        var index = target - layout.AnchorDistance(horizon);
        return index >= 0 && index < segment.Count ? segment.Values[index] : double.NaN;
    }

    private static bool WriteValue(Span<float> destination, int feature, SeriesSegment segment, int index, TaskNormalisation normalisation, bool clipped = true)
    {
        var value = index >= 0 && index < segment.Count ? segment.Values[index] : double.NaN;
        var observed = double.IsFinite(value);
        destination[feature] = observed ? (float)(clipped ? normalisation.Normalise(value) : normalisation.Standardise(value)) : 0f;
        return observed;
    }

    /// <summary>sin and cos of 2 pi (slot mod period) / period; zeros when aperiodic.</summary>
    /// <remarks>From a table per period (each pair of a 100,000-series adaptation needs one; computed once per period).</remarks>
    public static void WritePhase(Span<float> destination, long slot, int period)
    {
        if (period < 2)
        {
            destination[0] = 0f;
            destination[1] = 0f;
            return;
        }
        var table = PhaseTables.GetOrAdd(period, PhaseTable);
        var phase = (int)(((slot % period) + period) % period);
        destination[0] = table[2 * phase];
        destination[1] = table[2 * phase + 1];
    }

    private static float[] PhaseTable(int period)
    {
        var table = new float[2 * period];
        for (var phase = 0; phase < period; phase++)
        {
            var angle = 2 * Math.PI * phase / period;
            table[2 * phase] = (float)Math.Sin(angle);
            table[2 * phase + 1] = (float)Math.Cos(angle);
        }
        return table;
    }

    /// <summary>
    /// Pairs written straight into CPU tensors (no managed array and copy per batch: serving builds one support set per
    /// chunk of up to a thousand series, and fresh large managed arrays cost page faults each time).
    /// </summary>
    private sealed class PairBuffer : IDisposable
    {
        private readonly int _pairs;
        private readonly int _inputSize;
        private readonly Tensor _inputs;
        private readonly Tensor _targets;
        private readonly Tensor _mask;
        private bool _handedOver;

        public PairBuffer(int tasks, int pairs, int inputSize)
        {
            _pairs = pairs;
            _inputSize = inputSize;
            _inputs = empty([tasks, pairs, inputSize]).DetachFromDisposeScope();
            _targets = empty([tasks, pairs]).DetachFromDisposeScope();
            _mask = empty([tasks, pairs]).DetachFromDisposeScope();
        }

        /// <summary>Pairs for targets <paramref name="firstTarget"/>.. one step ahead, or with <paramref name="direct"/>
        /// all from the slot before <paramref name="firstTarget"/>, 1.. steps ahead.</summary>
        public void FillTask(int task, SeriesSegment segment, int firstTarget, EpisodeLayout layout, TaskNormalisation normalisation, bool direct = false)
        {
            var allInputs = TensorSpans.Of(_inputs).Slice(task * _pairs * _inputSize, _pairs * _inputSize);
            var targets = TensorSpans.Of(_targets).Slice(task * _pairs, _pairs);
            var mask = TensorSpans.Of(_mask).Slice(task * _pairs, _pairs);
            for (var n = 0; n < _pairs; n++)
            {
                var target = firstTarget + n;
                var inputs = allInputs.Slice(n * _inputSize, _inputSize);
                var complete = FillInputs(inputs, segment, target, layout, normalisation, direct ? n + 1 : 1);
                var value = target >= 0 && target < segment.Count ? segment.Values[target] : double.NaN;
                var observed = complete && double.IsFinite(value);
                targets[n] = observed ? (float)normalisation.Normalise(value) - AnchorOf(inputs, layout) : 0f;
                mask[n] = observed ? 1f : 0f;
            }
        }

        /// <summary>The pairs on <paramref name="device"/>: on the CPU this buffer's own tensors, which the result then owns.</summary>
        public TaskSet ToTaskSet(Device device)
        {
            if (device.type == DeviceType.CPU)
            {
                _handedOver = true;
                return new TaskSet(_inputs, _targets, _mask);
            }
            using var scope = NewDisposeScope();
            return new TaskSet(_inputs.to(device).DetachFromDisposeScope(), _targets.to(device).DetachFromDisposeScope(), _mask.to(device).DetachFromDisposeScope());
        }

        public void Dispose()
        {
            if (!_handedOver)
            {
                _inputs.Dispose();
                _targets.Dispose();
                _mask.Dispose();
            }
        }
    }
}
