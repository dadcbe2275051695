using System.Diagnostics;
using MetaAnomaly.Forecasting.Engine;
using MetaAnomaly.Forecasting.Episodes;
using MetaAnomaly.Forecasting.Learners;
using static TorchSharp.torch;

namespace MetaAnomaly.Forecasting.Training;

/// <summary>
/// Meta-trains one learner on one cluster's histories: Adam meta-batches (inside the learner), validation on held-out
/// series of the cluster, early stopping that keeps the best state. Deterministic under <see cref="MetaTrainingOptions.Seed"/>.
/// </summary>
/// <remarks>
/// Held out: a share of the series when the cluster has at least three; otherwise (a cluster of one or two series)
/// the latest stretch of each series, so validation never sees the slots it trains on.
/// </remarks>
public sealed class MetaTrainer
{
    private const int ValidationTasksPerSeries = 4;

    public MetaTrainingReport Train(
        IMetaLearner learner,
        IReadOnlyList<SeriesSegment> series,
        EpisodeLayout layout,
        MetaTrainingOptions options,
        IProgress<MetaTrainingProgress>? progress = null,
        CancellationToken cancellationToken = default)
    {
        var clock = Stopwatch.StartNew();
        var (training, validation) = Split(series, layout, options);
        if (training.IsEmpty || validation.IsEmpty)
        {
            throw new ArgumentException($"The series are too short to meta-train: one task needs {layout.TaskSpan} slots (training and validation).", nameof(series));
        }
        var validationCuts = validation.Evenly(ValidationTasksPerSeries);
        var random = new Random(options.Seed);
        var losses = new List<double>();
        var initial = Validate(learner, validationCuts, layout);
        var best = initial;
        var bestStep = 0;
        var bestState = Snapshot(learner);
        var stale = 0;
        var stoppedEarly = false;
        var step = 0;
        while (step < options.MaxSteps)
        {
            cancellationToken.ThrowIfCancellationRequested();
            using (var episode = EpisodeBuilder.Build(training.Sample(options.MetaBatchSize, random), layout, learner.Settings.Device))
            {
                losses.Add(learner.MetaTrainStep(episode.Batch));
            }
            step++;
            var outOfTime = options.TimeBudget is { } budget && clock.Elapsed >= budget;
            if (step % options.ValidationInterval != 0 && step != options.MaxSteps && !outOfTime)
            {
                continue;
            }
            var error = Validate(learner, validationCuts, layout);
            progress?.Report(new MetaTrainingProgress(step, options.MaxSteps, losses[^1], error));
            if (error < best)
            {
                best = error;
                bestStep = step;
                bestState = Snapshot(learner);
                stale = 0;
            }
            else if (++stale >= options.Patience)
            {
                stoppedEarly = true;
                break;
            }
            if (outOfTime)
            {
                break;
            }
        }
        learner.Load(new MemoryStream(bestState));
        return new MetaTrainingReport(learner.Name, step, losses, initial, best, bestStep, stoppedEarly, clock.Elapsed);
    }

    /// <summary>Mean query MSE, in normalised units, after adapting to each task's support.</summary>
    public static double Validate(IMetaLearner learner, IReadOnlyList<TaskCut> cuts, EpisodeLayout layout)
    {
        using var scope = NewDisposeScope();
        using var episode = EpisodeBuilder.Build(cuts, layout, learner.Settings.Device);
        using var adapted = learner.Adapt(episode.Batch.Support);
        var losses = FunctionalMlp.TaskLosses(adapted.Predict(episode.Batch.Query.Inputs), episode.Batch.Query.Targets, episode.Batch.Query.Mask);
        return losses.mean().item<float>();
    }

    private static (EpisodeSampler Training, EpisodeSampler Validation) Split(IReadOnlyList<SeriesSegment> series, EpisodeLayout layout, MetaTrainingOptions options)
    {
        var usable = series.Where(s => s.Count >= layout.TaskSpan).ToArray();
        if (usable.Length >= 3)
        {
            var order = usable.Select((s, i) => (s, key: new Random(options.Seed + i).Next())).OrderBy(p => p.key).Select(p => p.s).ToArray();
            var held = Math.Max(1, (int)Math.Round(options.ValidationFraction * usable.Length));
            return (new EpisodeSampler(order.Skip(held), layout), new EpisodeSampler(order.Take(held), layout));
        }
        var tail = layout.TaskSpan + layout.SupportSize;
        var heads = usable.Where(s => s.Count - tail >= layout.TaskSpan).Select(s => s with { Values = s.Values[..^tail] });
        var tails = usable.Select(s => s with { Values = s.Values[^Math.Min(s.Count, tail)..], PhaseOrigin = s.PhaseOrigin + Math.Max(0, s.Count - tail) });
        return (new EpisodeSampler(heads, layout), new EpisodeSampler(tails, layout));
    }

    private static byte[] Snapshot(IMetaLearner learner)
    {
        var state = new MemoryStream();
        learner.Save(state);
        return state.ToArray();
    }
}
