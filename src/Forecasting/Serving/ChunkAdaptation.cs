using MetaAnomaly.Forecasting.Engine;
using MetaAnomaly.Forecasting.Episodes;
using MetaAnomaly.Forecasting.Learners;
using MetaAnomaly.Forecasting.Learners.Optimization;
using MetaAnomaly.Shared.Statistics;
using TorchSharp;
using static TorchSharp.torch;

namespace MetaAnomaly.Forecasting.Serving;

/// <summary>
/// The daily adaptation of one chunk of series in one batched computation: support tensors from each series' latest
/// K points, the learner's adaptation (first order, in place, no graph for the optimization learners), the residual
/// scale on the support, and the next-horizon forecast by rolling the one-step model forward. Without the inner loop
/// (<c>Forecasting:ServeInitialisation</c>, the "not adapted" half of a comparison) the learner adapts to a support
/// with no observed pair: a gradient learner's inner steps then move nothing, and each series serves the
/// meta-initialisation itself, with the same anchor fallback and residual scale as an adapted one.
/// </summary>
/// <remarks>
/// A series whose adapted model fits its own support worse (mean absolute error) than its anchor alone (only the
/// support's held-out tail is judged when the inner loop holds one out, <see cref="HeldOutTail"/>), or whose
/// previous model the caller found worse than its anchor out of sample (<see cref="OutOfSampleJudge"/>), serves the
/// anchor (<see cref="AnchorFallback"/>). Residual scale: 1.4826 * MAD of the observed one-step support residuals of what
/// serves, in series units, floored at <see cref="MinimumResidualShare"/> of the normalisation scale so that a
/// perfectly fitted support does not make every later deviation infinitely improbable.
/// </remarks>
public static class ChunkAdaptation
{
    public const double MinimumResidualShare = 0.05;

    public static AdaptedChunk Adapt(IMetaLearner learner, IReadOnlyList<SeriesSegment> segments, EpisodeLayout layout, int horizon,
        IReadOnlyList<bool>? distrusted = null, bool innerLoop = true)
    {
        if (segments.Count == 0)
        {
            throw new ArgumentException("A chunk needs at least one series.", nameof(segments));
        }
        using var scope = NewDisposeScope();
        var (support, normalisations) = EpisodeBuilder.BuildLatestSupport(segments, layout, learner.Settings.Device);
        // Built for this chunk alone: freed when the chunk is done rather than left to the finalizer.
        using var chunkSupport = support;
        IAdaptedBatch model = learner.Adapt(innerLoop ? support : support with { Mask = zeros_like(support.Mask) });
        try
        {
            var fitted = TensorSpans.Of(model.Predict(support.Inputs).cpu().contiguous());
            var targets = TensorSpans.Of(support.Targets.cpu());
            var mask = TensorSpans.Of(support.Mask.cpu());
            var scales = new double[segments.Count];
            var anchorOnly = new bool[segments.Count];
            var residuals = new double[layout.SupportSize];
            var heldOut = HeldOutTail.Count(layout.SupportSize, learner.Settings.HeldOutShare);
            var judgedFrom = heldOut > 0 ? layout.SupportSize - heldOut : 0;
            for (var t = 0; t < segments.Count; t++)
            {
                double modelError = 0, anchorError = 0;
                for (var n = judgedFrom; n < layout.SupportSize; n++)
                {
                    var i = t * layout.SupportSize + n;
                    modelError += mask[i] * Math.Abs(fitted[i] - targets[i]);
                    anchorError += mask[i] * Math.Abs(targets[i]);
                }
                anchorOnly[t] = modelError > anchorError || distrusted?[t] == true;
                var count = 0;
                for (var n = 0; n < layout.SupportSize; n++)
                {
                    var i = t * layout.SupportSize + n;
                    if (mask[i] > 0)
                    {
                        residuals[count++] = (anchorOnly[t] ? 0 : fitted[i]) - targets[i];
                    }
                }
                var scale = normalisations[t].Scale;
                scales[t] = Math.Max(RobustScale(residuals.AsSpan(0, count)), MinimumResidualShare) * scale;
            }
            if (anchorOnly.Any(a => a))
            {
                model = new AnchorFallback(model, anchorOnly, learner.Settings.Device);
            }
            var forecasts = horizon > 0 ? Roll(model, segments, normalisations, layout, horizon, learner.Settings.Device) : segments.Select(_ => Array.Empty<double>()).ToArray();
            return new AdaptedChunk(model, normalisations, scales, forecasts);
        }
        catch
        {
            model.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Forecasts <paramref name="horizon"/> steps past each segment's end: one batched one-step prediction per step
    /// from clipped inputs (plus the step's unclipped anchor when the layout is anchored), kept within Clip scales of
    /// the observed range and fed back as the newest value. Returns series units.
    /// </summary>
    public static double[][] Roll(IAdaptedBatch model, IReadOnlyList<SeriesSegment> segments, IReadOnlyList<TaskNormalisation> normalisations, EpisodeLayout layout, int horizon, Device device)
    {
        if (layout.Direct)
        {
            return ForecastDirectly(model, segments, normalisations, layout, horizon, device);
        }
        using var scope = NewDisposeScope();
        var tasks = segments.Count;
        var reach = layout.AnchorReach;
        // The observed window (normalised, unclipped), then each step's forecast written in place: step h reads its lags
        // and anchor from it. A forecast may leave the observed range by at most Clip scales on either side.
        var window = empty([tasks, reach + horizon]);
        var phase = empty([tasks, horizon, EpisodeLayout.PhaseFeatures]);
        var floor = empty([tasks, 1]);
        var ceiling = empty([tasks, 1]);
        var history = TensorSpans.Of(window);
        var phases = TensorSpans.Of(phase);
        var floors = TensorSpans.Of(floor);
        var ceilings = TensorSpans.Of(ceiling);
        for (var t = 0; t < tasks; t++)
        {
            var observed = history.Slice(t * (reach + horizon), reach);
            EpisodeBuilder.FillWindow(observed, segments[t], segments[t].Count, normalisations[t], clipped: false);
            floors[t] = float.MaxValue;
            ceilings[t] = float.MinValue;
            foreach (var value in observed[^Math.Min(reach, segments[t].Count)..])
            {
                floors[t] = Math.Min(floors[t], value);
                ceilings[t] = Math.Max(ceilings[t], value);
            }
            floors[t] -= (float)TaskNormalisation.Clip;
            ceilings[t] += (float)TaskNormalisation.Clip;
            for (var h = 0; h < horizon; h++)
            {
                EpisodeBuilder.WritePhase(phases.Slice((t * horizon + h) * EpisodeLayout.PhaseFeatures, EpisodeLayout.PhaseFeatures),
                    segments[t].PhaseOrigin + segments[t].Count + h, layout.Period);
            }
        }
        (Tensor Short, Tensor Long)? blend = layout.Anchored ? AnchorWeights(normalisations, device) : null;
        window = window.to(device);
        phase = phase.to(device);
        floor = floor.to(device);
        ceiling = ceiling.to(device);
        using var low = (-TaskNormalisation.Clip).ToScalar();
        using var high = TaskNormalisation.Clip.ToScalar();
        for (var h = 0; h < horizon; h++)
        {
            using var step = NewDisposeScope();
            var lags = window.narrow(1, h + reach - layout.Lags, layout.Lags);
            var anchor = blend is null ? null : BlendedAnchor(window, h + reach, blend.Value, layout);
            // The model reads clipped inputs, as in training; the deviation it predicts is added to the anchor itself, so
            // a level beyond the support's +-Clip scales carries on instead of collapsing to the clip.
            var inputs = cat(anchor is null ? [lags, phase[.., h]] : [lags, anchor, phase[.., h]], 1).clamp(low, high).unsqueeze(1);
            var next = model.Predict(inputs);
            if (anchor is not null)
            {
                next.add_(anchor, KeptScalars.One);
            }
            // Fed back as the newest value, a forecast stays within Clip scales of the observed range: an adapted model
            // that amplifies its own output must not roll a forecast off to infinity.
            window.narrow(1, reach + h, 1).copy_(minimum(maximum(next, floor), ceiling));
        }
        return InSeriesUnits(TensorSpans.Of(window.narrow(1, reach, horizon).cpu().contiguous()), normalisations, horizon);
    }

    /// <summary>Each task's blend weights (<see cref="AnchorBlend"/>) as [T, 1] tensors: short, long.</summary>
    private static (Tensor Short, Tensor Long) AnchorWeights(IReadOnlyList<TaskNormalisation> normalisations, Device device)
    {
        var weights = new float[2, normalisations.Count];
        for (var t = 0; t < normalisations.Count; t++)
        {
            var anchor = normalisations[t].Anchor;
            weights[0, t] = (float)anchor.ShortWeight;
            weights[1, t] = (float)anchor.LongWeight;
        }
        var all = tensor(weights).to(device).unsqueeze(2);
        return (all[0], all[1]);
    }

    /// <summary>The anchors [T, 1] of the targets at window column <paramref name="target"/>.</summary>
    private static Tensor BlendedAnchor(Tensor window, int target, (Tensor Short, Tensor Long) blend, EpisodeLayout layout)
    {
        var anchor = window.narrow(1, target - layout.ShortAnchorLag, 1) * blend.Short;
        if (layout.LongAnchorLag > 0)
        {
            anchor.add_(window.narrow(1, target - layout.LongAnchorLag, 1) * blend.Long);
        }
        return anchor;
    }

    /// <summary>
    /// Forecasts <paramref name="horizon"/> steps past each segment's end in one batched prediction, each step from the
    /// observed lags and its own anchor (a direct layout: nothing is fed back). Returns series units.
    /// </summary>
    private static double[][] ForecastDirectly(IAdaptedBatch model, IReadOnlyList<SeriesSegment> segments, IReadOnlyList<TaskNormalisation> normalisations, EpisodeLayout layout, int horizon, Device device)
    {
        using var scope = NewDisposeScope();
        var tasks = segments.Count;
        var d = layout.InputSize;
        var inputs = new float[tasks * horizon * d];
        for (var t = 0; t < tasks; t++)
        {
            for (var h = 1; h <= horizon; h++)
            {
                EpisodeBuilder.FillInputs(inputs.AsSpan(((t * horizon) + h - 1) * d, d), segments[t], segments[t].Count + h - 1, layout, normalisations[t], h);
            }
        }
        var predicted = TensorSpans.Of(model.Predict(tensor(inputs, [tasks, horizon, d]).to(device)).cpu().contiguous());
        for (var i = 0; i < predicted.Length; i++)
        {
            predicted[i] = Math.Clamp(predicted[i] + EpisodeBuilder.AnchorOf(inputs.AsSpan(i * d, d), layout), (float)-TaskNormalisation.Clip, (float)TaskNormalisation.Clip);
        }
        return InSeriesUnits(predicted, normalisations, horizon);
    }

    /// <summary>Normalised forecasts [T, horizon] (row-major) in each series' own units.</summary>
    private static double[][] InSeriesUnits(ReadOnlySpan<float> values, IReadOnlyList<TaskNormalisation> normalisations, int horizon)
    {
        var forecasts = new double[normalisations.Count][];
        for (var t = 0; t < forecasts.Length; t++)
        {
            forecasts[t] = new double[horizon];
            for (var h = 0; h < horizon; h++)
            {
                forecasts[t][h] = normalisations[t].Denormalise(values[t * horizon + h]);
            }
        }
        return forecasts;
    }

    /// <summary>1.4826 * MAD about the median (<see cref="RobustStatistics.MadScale"/>); 1 when empty. Overwrites <paramref name="residuals"/>.</summary>
    internal static double RobustScale(Span<double> residuals) => residuals.Length == 0 ? 1.0 : RobustStatistics.MadScale(residuals);
}
