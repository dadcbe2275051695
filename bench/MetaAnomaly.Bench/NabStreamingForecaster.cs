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
/// With <see cref="AnchorFallbackRule.WhenWorse"/>, a day whose adapted model fits its own support worse (mean absolute
/// error) than the anchor alone is forecast by the anchor (seasonal naive, or naive when aperiodic): a learned
/// correction that does not even fit the past is not trusted for the future. <see cref="AnchorFallbackRule.Always"/> is
/// the ablation without the learned correction. <see cref="AnchorFallbackRule.WhenWorseOutOfSample"/> judges by the last
/// forecast day instead (the model's forecasts against the anchor's on rows neither had seen), and by the support on
/// the first day; <see cref="AnchorFallbackRule.WhenWorseEither"/> (the bench's default) falls back when either says so.
/// </remarks>
internal sealed class NabStreamingForecaster(IMetaLearner learner, EpisodeLayout layout, AnchorFallbackRule anchorFallback)
{
    public EpisodeLayout Layout => layout;

    /// <summary>Days forecast so far, and how many of them by the anchor alone.</summary>
    public (int Days, int AnchorDays) Counts => (_days, _anchorDays);

    private int _days;
    private int _anchorDays;
    private (int Start, double[] Model, double[] Anchor)? _lastDay;

    /// <summary>
    /// Adapts on <paramref name="values"/>[..<paramref name="dayStart"/>] (the past only) and forecasts rows
    /// <paramref name="dayStart"/> - <paramref name="pastRows"/>..<paramref name="dayEnd"/> (exclusive): the past rows
    /// are the history the detector is primed on when it first meets the series. Returns the forecasts and the robust
    /// (MAD) scale of the adaptation residuals, in the series' units, with the first row forecast (fewer past rows when
    /// the file does not reach back that far); null when the past is too short to adapt.
    /// </summary>
    public (double[] Forecasts, double[] Anchors, int First, double ResidualScale)? ForecastDay(double[] values, bool[] masked, int dayStart, int dayEnd, int pastRows = 0)
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
        var worseInSample = observed.Length > 0
            && observed.Average(i => Math.Abs(targets[i] - fitted[i])) >= observed.Average(i => Math.Abs(targets[i]));
        var useAnchor = anchorFallback switch
        {
            AnchorFallbackRule.Always => true,
            AnchorFallbackRule.WhenWorse => worseInSample,
            AnchorFallbackRule.WhenWorseOutOfSample => WorseOnLastDay(values) ?? worseInSample,
            AnchorFallbackRule.WhenWorseEither => worseInSample || (WorseOnLastDay(values) ?? false),
            _ => false,
        };
        _days++;
        _anchorDays += useAnchor ? 1 : 0;
        var residuals = observed.Select(i => (double)(targets[i] - (useAnchor ? 0f : fitted[i])) * normalisation.Scale).ToArray();

        var first = dayStart - Math.Clamp(pastRows, 0, Math.Max(0, dayStart - layout.Reach));
        var count = dayEnd - first;
        using var query = NabPairs.Build([(values, first, normalisation, layout)], count, learner.Settings.Device);
        var corrections = adapted.Predict(query.Inputs).cpu().data<float>().ToArray();
        // The anchor itself, unclipped: a support window made flat by masking (spikes removed) has a tiny scale, and
        // the +-Clip of its normalised inputs would turn a spike one period earlier into a flat forecast.
        var file = new SeriesSegment(values, 0);
        var anchors = Enumerable.Range(0, count).Select(n => EpisodeBuilder.ToSeriesUnits(0f, file, first + n, layout, normalisation)).ToArray();
        var model = Enumerable.Range(0, count).Select(n => EpisodeBuilder.ToSeriesUnits(corrections[n], file, first + n, layout, normalisation)).ToArray();
        _lastDay = (dayStart, model[(dayStart - first)..], anchors[(dayStart - first)..]);
        return (useAnchor ? anchors : model, anchors, first, Mad(residuals));
    }

    /// <summary>Whether the model forecast the last day worse (mean absolute error) than its anchor; null before any day.</summary>
    private bool? WorseOnLastDay(double[] values)
    {
        if (_lastDay is not var (start, model, anchor))
        {
            return null;
        }
        var rows = Enumerable.Range(0, model.Length).Where(n => double.IsFinite(values[start + n])).ToArray();
        return rows.Length == 0 ? null
            : rows.Average(n => Math.Abs(values[start + n] - model[n])) >= rows.Average(n => Math.Abs(values[start + n] - anchor[n]));
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

/// <summary>When the NAB replay forecasts a day by the anchor alone instead of the adapted model.</summary>
internal enum AnchorFallbackRule
{
    Never,
    WhenWorse,
    WhenWorseOutOfSample,
    WhenWorseEither,
    Always,
}
