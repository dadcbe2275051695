using MetaAnomaly.Forecasting.Episodes;
using MetaAnomaly.Forecasting.Learners;
using static TorchSharp.torch;

namespace MetaAnomaly.Bench;

/// <summary>
/// The forecasting half of the NAB replay for one file: the meta-initialisation adapted once per data day on the
/// latest K points that precede the day (masked anomalies as gaps), then one batched forward pass for the day's
/// one-step forecasts, each from the lags that precede its own row only.
/// </summary>
internal sealed class NabStreamingForecaster(IMetaLearner learner, EpisodeLayout layout)
{
    /// <summary>
    /// Adapts on <paramref name="values"/>[..<paramref name="dayStart"/>] (the past only) and forecasts rows
    /// <paramref name="dayStart"/>..<paramref name="dayEnd"/> (exclusive). Returns the forecasts and the robust (MAD)
    /// scale of the adaptation residuals, in the series' units; null when the past is too short to adapt.
    /// </summary>
    public (double[] Forecasts, double ResidualScale)? ForecastDay(double[] values, bool[] masked, int dayStart, int dayEnd)
    {
        var from = Math.Max(0, dayStart - layout.SupportSize - layout.Reach);
        if (dayStart - from < layout.Reach + 8)
        {
            return null;
        }
        var past = new double[dayStart - from];
        for (var i = 0; i < past.Length; i++)
        {
            past[i] = masked[from + i] ? double.NaN : values[from + i];
        }
        var firstSupport = Math.Max(layout.Reach, past.Length - layout.SupportSize);
        var normalisation = NabPairs.Normalisation(past.AsSpan(firstSupport - layout.Lags));
        var rows = dayEnd - dayStart;
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        using var support = NabPairs.Build([(past, firstSupport, normalisation)], past.Length - firstSupport, layout, learner.Settings.Device);
        using var adapted = learner.Adapt(support);

        var fitted = adapted.Predict(support.Inputs).cpu().data<float>().ToArray();
        var targets = support.Targets.cpu().data<float>().ToArray();
        var mask = support.Mask.cpu().data<float>().ToArray();
        var residuals = Enumerable.Range(0, fitted.Length).Where(i => mask[i] > 0)
            .Select(i => (double)(targets[i] - fitted[i]) * normalisation.Scale).ToArray();

        using var query = NabPairs.Build([(values, dayStart, normalisation)], rows, layout, learner.Settings.Device);
        var predicted = adapted.Predict(query.Inputs).cpu().data<float>().ToArray();
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
