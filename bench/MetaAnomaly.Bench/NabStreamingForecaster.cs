using MetaAnomaly.Forecasting.Episodes;
using MetaAnomaly.Forecasting.Learners;
using static TorchSharp.torch;

namespace MetaAnomaly.Bench;

/// <summary>
/// The forecasting half of the NAB replay for one file: the meta-initialisation adapted once per data day on the
/// latest K points that precede the day (masked anomalies as gaps), then one batched forward pass for the day's
/// one-step forecasts, each from the lags that precede its own row only. The layout carries the file's own period,
/// detected on its probationary part.
/// </summary>
/// <remarks>
/// With <c>anchorFallback</c>, a day whose adapted model fits its own support worse (mean absolute error) than the
/// anchor alone is forecast by the anchor (seasonal naive, or naive when aperiodic): a learned correction that does
/// not even fit the past is not trusted for the future.
/// </remarks>
internal sealed class NabStreamingForecaster(IMetaLearner learner, EpisodeLayout layout, bool anchorFallback)
{
    public EpisodeLayout Layout => layout;

    /// <summary>Days forecast so far, and how many of them by the anchor alone.</summary>
    public (int Days, int AnchorDays) Counts => (_days, _anchorDays);

    private int _days;
    private int _anchorDays;

    /// <summary>
    /// Adapts on <paramref name="values"/>[..<paramref name="dayStart"/>] (the past only) and forecasts rows
    /// <paramref name="dayStart"/>..<paramref name="dayEnd"/> (exclusive). Returns the forecasts and the robust (MAD)
    /// scale of the adaptation residuals, in the series' units; null when the past is too short to adapt.
    /// </summary>
    public (double[] Forecasts, double ResidualScale)? ForecastDay(double[] values, bool[] masked, int dayStart, int dayEnd)
    {
        if (dayStart < layout.Reach + 8)
        {
            return null;
        }
        // Row indices are kept (the phase within the period is the row's), so the past is the file up to the day.
        var past = new double[dayStart];
        for (var i = Math.Max(0, dayStart - layout.ServingSpan); i < dayStart; i++)
        {
            past[i] = masked[i] ? double.NaN : values[i];
        }
        var firstSupport = Math.Max(layout.Reach, past.Length - layout.SupportSize);
        var normalisation = NabPairs.Normalisation(past.AsSpan(firstSupport - layout.Lags));
        var rows = dayEnd - dayStart;
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        using var support = NabPairs.Build([(past, firstSupport, normalisation, layout)], past.Length - firstSupport, learner.Settings.Device);
        using var adapted = learner.Adapt(support);

        var fitted = adapted.Predict(support.Inputs).cpu().data<float>().ToArray();
        var targets = support.Targets.cpu().data<float>().ToArray();
        var mask = support.Mask.cpu().data<float>().ToArray();
        var observed = Enumerable.Range(0, fitted.Length).Where(i => mask[i] > 0).ToArray();
        var useAnchor = anchorFallback && observed.Length > 0
            && observed.Average(i => Math.Abs(targets[i] - fitted[i])) >= observed.Average(i => Math.Abs(targets[i]));
        _days++;
        _anchorDays += useAnchor ? 1 : 0;
        var residuals = observed.Select(i => (double)(targets[i] - (useAnchor ? 0f : fitted[i])) * normalisation.Scale).ToArray();

        using var query = NabPairs.Build([(values, dayStart, normalisation, layout)], rows, learner.Settings.Device);
        var predicted = useAnchor ? new float[rows] : adapted.Predict(query.Inputs).cpu().data<float>().ToArray();
        var inputs = query.Inputs.cpu().data<float>().ToArray();
        var d = layout.InputSize;
        return (predicted.Select((p, n) => normalisation.Denormalise(p + EpisodeBuilder.AnchorOf(inputs.AsSpan(n * d, d), layout))).ToArray(), Mad(residuals));
    }

    private static double Mad(double[] residuals)
    {
        if (residuals.Length < 4)
        {
            return double.NaN;
        }
        var sorted = residuals.Order().ToArray();
        var median = sorted[sorted.Length / 2];
        var deviations = sorted.Select(r => Math.Abs(r - median)).Order().ToArray();
        return 1.4826 * deviations[deviations.Length / 2];
    }
}
