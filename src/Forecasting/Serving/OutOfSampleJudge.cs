using MetaAnomaly.Forecasting.Episodes;
using MetaAnomaly.Forecasting.Learners;
using static TorchSharp.torch;

namespace MetaAnomaly.Forecasting.Serving;

/// <summary>
/// Judges adapted models out of sample: each series' one-step forecasts of the points that arrived after its model was
/// adapted, against its anchor's forecasts of the same points (mean absolute error). The next adaptation serves the
/// anchor for a series whose model lost (<see cref="AnchorFallback"/>), whatever its fit to its new support.
/// </summary>
/// <remarks>
/// A model that fits its support can still forecast worse than seasonal naive; the previous day is the only evidence
/// neither had seen. On the NAB development split, judging the previous day instead of the support scored 1.8 points
/// more, and falling back when either says so 1.2 more again (mean of four seeds). At most the latest
/// <see cref="EpisodeLayout.SupportSize"/> points are judged per series: one forward pass of the support's size, small
/// next to the adaptation's inner steps.
/// </remarks>
public static class OutOfSampleJudge
{
    /// <summary>
    /// For each of <paramref name="series"/>, whether task <see cref="JudgedSeries.Task"/> of <paramref name="model"/>
    /// forecast the finite points of its segment from <see cref="JudgedSeries.From"/> on worse than their anchors did
    /// (ties count as worse: the anchor is the simpler forecast). False when no such point exists.
    /// </summary>
    public static bool[] ModelLost(IAdaptedBatch model, IReadOnlyList<JudgedSeries> series, EpisodeLayout layout, Device device)
    {
        var verdicts = new bool[series.Count];
        var points = series.Count == 0 ? 0 : series.Max(s => JudgedRange(s, layout).Count);
        if (points == 0)
        {
            return verdicts;
        }
        var d = layout.InputSize;
        var inputs = new float[model.TaskCount * points * d];
        foreach (var s in series)
        {
            var (first, count) = JudgedRange(s, layout);
            for (var n = 0; n < count; n++)
            {
                EpisodeBuilder.FillInputs(inputs.AsSpan((s.Task * points + n) * d, d), s.Segment, first + n, layout, s.Normalisation);
            }
        }
        float[] outputs;
        using (var scope = NewDisposeScope())
        using (no_grad())
        {
            outputs = model.Predict(tensor(inputs, [model.TaskCount, points, d]).to(device)).cpu().data<float>().ToArray();
        }
        for (var i = 0; i < series.Count; i++)
        {
            var s = series[i];
            var (first, count) = JudgedRange(s, layout);
            double modelError = 0, anchorError = 0;
            var judged = 0;
            for (var n = 0; n < count; n++)
            {
                var actual = s.Segment.Values[first + n];
                if (!double.IsFinite(actual))
                {
                    continue;
                }
                modelError += Math.Abs(actual - EpisodeBuilder.ToSeriesUnits(outputs[s.Task * points + n], s.Segment, first + n, layout, s.Normalisation));
                anchorError += Math.Abs(actual - EpisodeBuilder.ToSeriesUnits(0f, s.Segment, first + n, layout, s.Normalisation));
                judged++;
            }
            verdicts[i] = judged > 0 && modelError >= anchorError;
        }
        return verdicts;
    }

    /// <summary>The judged points: from <see cref="JudgedSeries.From"/> (never before the first with all its lags in the
    /// segment) to the segment's end, at most the latest <see cref="EpisodeLayout.SupportSize"/>.</summary>
    private static (int First, int Count) JudgedRange(JudgedSeries series, EpisodeLayout layout)
    {
        var first = Math.Max(Math.Max(series.From, layout.Reach), series.Segment.Count - layout.SupportSize);
        return (first, Math.Max(0, series.Segment.Count - first));
    }
}

