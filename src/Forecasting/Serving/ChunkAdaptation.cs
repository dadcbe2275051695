using MetaAnomaly.Forecasting.Episodes;
using MetaAnomaly.Forecasting.Learners;
using static TorchSharp.torch;

namespace MetaAnomaly.Forecasting.Serving;

/// <summary>
/// The daily adaptation of one chunk of series in one batched computation: support tensors from each series' latest
/// K points, the learner's adaptation (first order, in place, no graph for the optimization learners), the residual
/// scale on the support, and the next-horizon forecast by rolling the one-step model forward.
/// </summary>
/// <remarks>
/// Residual scale: 1.4826 * MAD of the observed one-step support residuals, in series units, floored at
/// <see cref="MinimumResidualShare"/> of the normalisation scale so that a perfectly fitted support does not make every
/// later deviation infinitely improbable.
/// </remarks>
public static class ChunkAdaptation
{
    public const double MinimumResidualShare = 0.05;

    public static AdaptedChunk Adapt(IMetaLearner learner, IReadOnlyList<SeriesSegment> segments, EpisodeLayout layout, int horizon)
    {
        if (segments.Count == 0)
        {
            throw new ArgumentException("A chunk needs at least one series.", nameof(segments));
        }
        using var scope = NewDisposeScope();
        var (support, normalisations) = EpisodeBuilder.BuildLatestSupport(segments, layout, learner.Settings.Device);
        var model = learner.Adapt(support);
        try
        {
            var fitted = model.Predict(support.Inputs).cpu().data<float>().ToArray();
            var targets = support.Targets.cpu().data<float>().ToArray();
            var mask = support.Mask.cpu().data<float>().ToArray();
            var scales = new double[segments.Count];
            var residuals = new double[layout.SupportSize];
            for (var t = 0; t < segments.Count; t++)
            {
                var count = 0;
                for (var n = 0; n < layout.SupportSize; n++)
                {
                    var i = t * layout.SupportSize + n;
                    if (mask[i] > 0)
                    {
                        residuals[count++] = fitted[i] - targets[i];
                    }
                }
                var scale = normalisations[t].Scale;
                scales[t] = Math.Max(RobustScale(residuals.AsSpan(0, count)), MinimumResidualShare) * scale;
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
    /// Forecasts <paramref name="horizon"/> steps past each segment's end: one batched one-step prediction per step,
    /// each clipped to the normalised input range and fed back as the newest lag. Returns series units.
    /// </summary>
    public static double[][] Roll(IAdaptedBatch model, IReadOnlyList<SeriesSegment> segments, IReadOnlyList<TaskNormalisation> normalisations, EpisodeLayout layout, int horizon, Device device)
    {
        using var scope = NewDisposeScope();
        var tasks = segments.Count;
        var lags = new float[tasks * layout.Lags];
        var phases = new float[tasks * horizon * EpisodeLayout.PhaseFeatures];
        var row = new float[layout.InputSize];
        for (var t = 0; t < tasks; t++)
        {
            EpisodeBuilder.FillInputs(row, segments[t], segments[t].Count, layout, normalisations[t]);
            Array.Copy(row, 0, lags, t * layout.Lags, layout.Lags);
            for (var h = 0; h < horizon; h++)
            {
                EpisodeBuilder.WritePhase(phases.AsSpan((t * horizon + h) * EpisodeLayout.PhaseFeatures, EpisodeLayout.PhaseFeatures),
                    segments[t].PhaseOrigin + segments[t].Count + h, layout.Period);
            }
        }
        var window = tensor(lags, [tasks, layout.Lags]).to(device);
        var phase = tensor(phases, [tasks, horizon, EpisodeLayout.PhaseFeatures]).to(device);
        var outputs = new List<Tensor>(horizon);
        for (var h = 0; h < horizon; h++)
        {
            using var step = NewDisposeScope();
            var inputs = cat([window, phase[.., h]], 1).unsqueeze(1);
            // Fed back as the newest lag, a prediction is clipped like every normalised input: an adapted model that
            // amplifies its own output must not roll a forecast off to infinity.
            var next = model.Predict(inputs).clamp(-TaskNormalisation.Clip, TaskNormalisation.Clip);
            window = cat([window[.., 1..], next], 1).MoveToOuterDisposeScope();
            outputs.Add(next.MoveToOuterDisposeScope());
        }
        var values = cat(outputs, 1).cpu().data<float>().ToArray();
        var forecasts = new double[tasks][];
        for (var t = 0; t < tasks; t++)
        {
            forecasts[t] = new double[horizon];
            for (var h = 0; h < horizon; h++)
            {
                forecasts[t][h] = normalisations[t].Denormalise(values[t * horizon + h]);
            }
        }
        return forecasts;
    }

    /// <summary>1.4826 * MAD about the (upper) median; 1 when empty. Reorders <paramref name="residuals"/>.</summary>
    internal static double RobustScale(Span<double> residuals)
    {
        if (residuals.Length == 0)
        {
            return 1.0;
        }
        residuals.Sort();
        var median = residuals[residuals.Length / 2];
        foreach (ref var r in residuals)
        {
            r = Math.Abs(r - median);
        }
        residuals.Sort();
        return 1.4826 * residuals[residuals.Length / 2];
    }
}
