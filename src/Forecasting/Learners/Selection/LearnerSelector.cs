using System.Diagnostics;
using MetaAnomaly.Forecasting.Episodes;
using MetaAnomaly.Forecasting.Training;
using Microsoft.Extensions.Logging;

namespace MetaAnomaly.Forecasting.Learners.Selection;

/// <summary>
/// Chooses a cluster's learner on held-out data: meta-trains every candidate on the same series with the same seeds
/// and budget, adapts each on K points of held-out series and forecasts the points that follow, and keeps the one
/// with the lowest mean query MSE. Every candidate's score is kept in the result.
/// </summary>
/// <remarks>
/// With at least <see cref="LearnerSelectionOptions.Defaults.MinimumSeriesForHeldOutSelection"/> usable series, a
/// seeded <see cref="LearnerSelectionOptions.SelectionFraction"/> of them is set aside before training and used for
/// nothing but the comparison (the trainer's early stopping uses its own split of the rest), so the winner is not
/// chosen on the data that picked its stopping step. A smaller cluster is compared on the trainer's held-out stretch.
/// Ties go to the earlier candidate. When every candidate fails on the data (series too short to meta-train), the
/// result is an <see cref="ArgumentException"/>, as from the trainer itself.
/// </remarks>
public sealed class LearnerSelector(MetaLearnerRegistry registry, MetaTrainer trainer, ILogger<LearnerSelector> logger)
{
    /// <summary>The learner name that asks for automatic choice.</summary>
    public const string Auto = "auto";

    private const int SelectionTasksPerSeries = 4;

    public static bool IsAuto(string? learner) => string.Equals(learner, Auto, StringComparison.OrdinalIgnoreCase);

    public LearnerSelection Select(
        IReadOnlyList<string> candidates,
        LearnerSettings settings,
        IReadOnlyList<SeriesSegment> series,
        EpisodeLayout layout,
        MetaTrainingOptions training,
        double selectionFraction = LearnerSelectionOptions.Defaults.SelectionFraction,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(candidates);
        if (candidates.Count == 0)
        {
            throw new ArgumentException("Automatic learner choice needs at least one candidate (Forecasting:Selection:Candidates).", nameof(candidates));
        }
        var (trainingSeries, selectionCuts) = SplitForSelection(series, layout, training.Seed, selectionFraction);
        var scoredOn = selectionCuts is null ? "the trainer's held-out stretch of each series" : $"{selectionCuts.Count} tasks on held-out series";

        var scores = new List<CandidateScore>();
        var dataFailures = 0;
        (string Name, double Error, MetaTrainingReport Report, byte[] State)? best = null;
        foreach (var name in candidates)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var clock = Stopwatch.StartNew();
            try
            {
                using var learner = registry.Create(name, settings);
                var report = trainer.Train(learner, trainingSeries, layout, training, cancellationToken: cancellationToken);
                var error = selectionCuts is null ? report.ValidationError : MetaTrainer.Validate(learner, selectionCuts, layout);
                if (!double.IsFinite(error))
                {
                    throw new InvalidOperationException($"validation error is {error}");
                }
                scores.Add(new CandidateScore(learner.Name, error, report.Steps, clock.Elapsed));
                logger.LogInformation("Learner candidate {Learner}: validation MSE {Error:G4} after {Steps} steps in {Duration}", learner.Name, error, report.Steps, clock.Elapsed);
                if (best is null || error < best.Value.Error)
                {
                    best = (learner.Name, error, report, Snapshot(learner));
                }
            }
            catch (Exception exception) when (exception is not OperationCanceledException)
            {
                dataFailures += exception is ArgumentException ? 1 : 0;
                scores.Add(new CandidateScore(name, null, 0, clock.Elapsed, exception.Message));
                logger.LogWarning(exception, "Learner candidate {Learner} could not be scored", name);
            }
        }
        if (best is not { } winner)
        {
            var message = $"No candidate learner could be trained on this cluster: {string.Join("; ", scores.Select(s => $"{s.Learner}: {s.Failure}"))}";
            throw dataFailures == candidates.Count ? new ArgumentException(message, nameof(series)) : new InvalidOperationException(message);
        }
        logger.LogInformation("Chose learner {Learner} (validation MSE {Error:G4}) on {ScoredOn}", winner.Name, winner.Error, scoredOn);
        return new LearnerSelection(winner.Name, scores, winner.Report, winner.State, scoredOn);
    }

    private static (IReadOnlyList<SeriesSegment> Training, IReadOnlyList<TaskCut>? Selection) SplitForSelection(
        IReadOnlyList<SeriesSegment> series, EpisodeLayout layout, int seed, double fraction)
    {
        var usable = series.Where(s => s.Count >= layout.TaskSpan).ToArray();
        if (usable.Length < LearnerSelectionOptions.Defaults.MinimumSeriesForHeldOutSelection || fraction <= 0)
        {
            return (series, null);
        }
        var random = new Random(seed);
        var order = usable.OrderBy(_ => random.Next()).ToArray();
        var held = Math.Clamp((int)Math.Round(fraction * order.Length), 1, order.Length - 3);
        var selection = new EpisodeSampler(order.Take(held), layout).Evenly(SelectionTasksPerSeries);
        return (order.Skip(held).ToArray(), selection);
    }

    private static byte[] Snapshot(IMetaLearner learner)
    {
        using var state = new MemoryStream();
        learner.Save(state);
        return state.ToArray();
    }
}
