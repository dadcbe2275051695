using MetaAnomaly.Forecasting.Episodes;
using MetaAnomaly.Forecasting.Learners;
using static TorchSharp.torch;

namespace MetaAnomaly.Bench;

/// <summary>
/// Builds the NAB replay's (lags -> next value) pairs with the engine's <see cref="EpisodeBuilder.FillInputs"/>, but
/// normalised by the window's mean and standard deviation and clipped to +-<see cref="Clip"/>: NAB's mostly-constant
/// windows (CPU at one value for hours) make the engine's MAD normalisation put query values at up to 1e6 scales,
/// and MAML's inner steps then diverge to NaN.
/// </summary>
internal static class NabPairs
{
    public const float Clip = 10f;

    public static TaskNormalisation Normalisation(ReadOnlySpan<double> window)
    {
        double sum = 0, squares = 0;
        var count = 0;
        foreach (var v in window)
        {
            if (double.IsFinite(v))
            {
                sum += v;
                squares += v * v;
                count++;
            }
        }
        if (count == 0)
        {
            return TaskNormalisation.Identity;
        }
        var mean = sum / count;
        var std = Math.Sqrt(Math.Max(0, squares / count - mean * mean));
        return new TaskNormalisation(mean, Math.Max(std, 1e-3 * Math.Max(1e-6, Math.Abs(mean))));
    }

    /// <summary>
    /// Pairs for targets first..first+count-1 of <paramref name="values"/> (per task, each with its own layout: the
    /// files' periods differ, the input width does not), as one [T, N, D] task set.
    /// </summary>
    public static TaskSet Build(IReadOnlyList<(double[] Values, int First, TaskNormalisation Normalisation, EpisodeLayout Layout)> tasks, int count, Device device)
    {
        var d = tasks[0].Layout.InputSize;
        var inputs = new float[tasks.Count * count * d];
        var targets = new float[tasks.Count * count];
        var mask = new float[tasks.Count * count];
        for (var t = 0; t < tasks.Count; t++)
        {
            var (values, first, normalisation, layout) = tasks[t];
            var segment = new SeriesSegment(values, 0);
            for (var n = 0; n < count; n++)
            {
                var offset = t * count + n;
                var target = first + n;
                var row = inputs.AsSpan(offset * d, d);
                var complete = target < values.Length && EpisodeBuilder.FillInputs(row, segment, target, layout, normalisation);
                for (var j = 0; j < layout.InputSize - EpisodeLayout.PhaseFeatures; j++)
                {
                    row[j] = Math.Clamp(row[j], -Clip, Clip);
                }
                var value = target < values.Length ? values[target] : double.NaN;
                var observed = complete && double.IsFinite(value);
                targets[offset] = observed ? Math.Clamp((float)normalisation.Normalise(value), -Clip, Clip) - EpisodeBuilder.AnchorOf(row, layout) : 0f;
                mask[offset] = observed ? 1f : 0f;
            }
        }
        using var scope = NewDisposeScope();
        return new TaskSet(
            tensor(inputs, [tasks.Count, count, d]).to(device).DetachFromDisposeScope(),
            tensor(targets, [tasks.Count, count]).to(device).DetachFromDisposeScope(),
            tensor(mask, [tasks.Count, count]).to(device).DetachFromDisposeScope());
    }

    /// <summary>
    /// Meta-trains on random tasks cut from <paramref name="segments"/> (support then query, normalised on the
    /// support window, each segment with its own layout) until <paramref name="steps"/> or <paramref name="budget"/>.
    /// Returns the steps and the mean query loss of the first and last 20 steps.
    /// </summary>
    public static (int Steps, double FirstLoss, double LastLoss) MetaTrain(
        IMetaLearner learner, IReadOnlyList<(double[] Values, EpisodeLayout Layout)> segments, int steps, int batch, TimeSpan budget, int seed)
    {
        var usable = segments.Where(s => s.Values.Length >= s.Layout.TaskSpan).ToArray();
        var random = new Random(seed);
        var losses = new List<double>();
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (losses.Count < steps && clock.Elapsed < budget)
        {
            var support = new List<(double[], int, TaskNormalisation, EpisodeLayout)>();
            var query = new List<(double[], int, TaskNormalisation, EpisodeLayout)>();
            var (supportSize, querySize) = (usable[0].Layout.SupportSize, usable[0].Layout.QuerySize);
            for (var t = 0; t < batch; t++)
            {
                var (series, layout) = usable[random.Next(usable.Length)];
                var start = random.Next(layout.Reach, series.Length - layout.SupportSize - layout.QuerySize + 1);
                var normalisation = Normalisation(series.AsSpan(start - layout.Lags, layout.Lags + layout.SupportSize));
                support.Add((series, start, normalisation, layout));
                query.Add((series, start + layout.SupportSize, normalisation, layout));
            }
            using var episode = new EpisodeBatch(Build(support, supportSize, learner.Settings.Device), Build(query, querySize, learner.Settings.Device));
            losses.Add(learner.MetaTrainStep(episode));
        }
        return (losses.Count, losses.Take(20).Average(), losses.TakeLast(20).Average());
    }
}
