using MetaAnomaly.Forecasting.Engine;
using MetaAnomaly.Forecasting.Episodes;
using MetaAnomaly.Forecasting.Learners;
using MetaAnomaly.Forecasting.Learners.Selection;
using MetaAnomaly.Forecasting.Runs;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace MetaAnomaly.Forecasting.Training;

/// <summary>
/// Meta-trains cluster initialisations on the members' histories: a new one with the configured learner or, for
/// <c>auto</c>, the best of the selection's candidates; and a refresh, which trains a copy of the current one further.
/// </summary>
internal sealed partial class InitialisationTraining(
    MetaLearnerRegistry learners,
    LearnerSelector selector,
    IOptions<LearnerSelectionOptions> selection,
    ForecastingSetup setup,
    RunProgress progress,
    ILogger<InitialisationTraining> logger)
{
    private readonly MetaTrainer _trainer = new();
    private readonly LearnerSelectionOptions _selection = selection.Value;

    public IReadOnlyList<string> Learners => learners.Names;

    /// <summary>
    /// A new initialisation for the cluster with <paramref name="learnerName"/> (or the selection's choice for <c>auto</c>).
    /// Throws <see cref="ArgumentException"/> when the cluster cannot be meta-trained yet (too little data).
    /// </summary>
    public TrainedInitialisation TrainNew(string clusterId, string learnerName, EpisodeLayout layout, IReadOnlyList<SeriesSegment> segments, CancellationToken cancellationToken)
    {
        var settings = setup.SettingsFor(layout);
        progress.Report($"meta-training {clusterId} ({learnerName})", 0);
        var chosen = LearnerSelector.IsAuto(learnerName)
            ? selector.Select(_selection.EffectiveCandidates, settings, segments, layout, Options(), _selection.SelectionFraction, cancellationToken)
            : null;
        var learner = learners.Create(chosen?.Chosen ?? learnerName, settings);
        try
        {
            MetaTrainingReport report;
            if (chosen is not null)
            {
                learner.Load(new MemoryStream(chosen.ChosenState));
                report = chosen.ChosenReport;
            }
            else
            {
                var reported = new Progress<MetaTrainingProgress>(p => progress.Report($"meta-training {clusterId} ({learnerName})", (double)p.Step / p.MaxSteps));
                report = _trainer.Train(learner, segments, layout, Options(), reported, cancellationToken);
            }
            logger.LogInformation("Meta-trained {Learner} for cluster {Cluster}: {Steps} steps, validation error {Initial:G4} -> {Error:G4} in {Seconds:F1} s",
                learner.Name, clusterId, report.Steps, report.InitialValidationError, report.ValidationError, report.Duration.TotalSeconds);
            var validationError = chosen?.Candidates.First(c => c.Learner == chosen.Chosen).ValidationError ?? report.ValidationError;
            return new TrainedInitialisation(learner, report, validationError, chosen?.Candidates);
        }
        catch
        {
            learner.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Meta-trains a copy of <paramref name="current"/> further on the members' latest history. Early stopping keeps the
    /// best state on held-out series, the starting one included, so the copy is returned only when it forecasts them
    /// better; null when the current initialisation stays (also when the cluster cannot be meta-trained now).
    /// </summary>
    public TrainedInitialisation? Refresh(string clusterId, ClusterModel current, IReadOnlyList<SeriesSegment> segments, CancellationToken cancellationToken)
    {
        var (trained, report) = TrainFurther($"refreshing {clusterId}", current, segments, cancellationToken);
        if (trained is not null)
        {
            LogRefreshed(clusterId, report!.InitialValidationError, report.ValidationError, report.BestStep);
        }
        else if (report is not null)
        {
            LogRefreshKept(clusterId, report.Steps, report.InitialValidationError);
        }
        return trained;
    }

    /// <summary>
    /// The period group's shared initialisation <paramref name="shared"/> meta-trained further on one cluster's members, as
    /// <see cref="Refresh"/>: returned only when it forecasts the cluster's held-out series better than the shared one.
    /// </summary>
    public TrainedInitialisation? Specialise(string clusterId, ClusterModel shared, IReadOnlyList<SeriesSegment> segments, CancellationToken cancellationToken)
    {
        var (trained, report) = TrainFurther($"specialising {clusterId}", shared, segments, cancellationToken);
        if (report is not null)
        {
            LogSpecialised(clusterId, report.InitialValidationError, report.ValidationError, trained is not null);
        }
        return trained;
    }

    /// <summary>A learner of its own holding <paramref name="model"/>'s state (retiring one cluster's model never disposes another's).</summary>
    public IMetaLearner Copy(ClusterModel model)
    {
        var copy = learners.Create(model.Learner.Name, setup.SettingsFor(model.Layout));
        try
        {
            copy.Load(new MemoryStream(StateOf(model)));
            return copy;
        }
        catch
        {
            copy.Dispose();
            throw;
        }
    }

    /// <summary>The further-trained copy when it beat its start (null when not), and the report (null when it could not be trained).</summary>
    private (TrainedInitialisation? Trained, MetaTrainingReport? Report) TrainFurther(string activity, ClusterModel start, IReadOnlyList<SeriesSegment> segments,
        CancellationToken cancellationToken)
    {
        var challenger = Copy(start);
        try
        {
            var name = $"{activity} ({challenger.Name})";
            progress.Report(name, 0);
            var reported = new Progress<MetaTrainingProgress>(p => progress.Report(name, (double)p.Step / p.MaxSteps));
            var report = _trainer.Train(challenger, segments, start.Layout, Options(), reported, cancellationToken);
            if (report.BestStep == 0)
            {
                challenger.Dispose();
                return (null, report);
            }
            return (new TrainedInitialisation(challenger, report, report.ValidationError, null), report);
        }
        catch (ArgumentException e)
        {
            challenger.Dispose();
            LogTrainFurtherImpossible(activity, e.Message);
            return (null, null);
        }
        catch
        {
            challenger.Dispose();
            throw;
        }
    }

    private static byte[] StateOf(ClusterModel model)
    {
        var state = new MemoryStream();
        model.Learner.Save(state);
        return state.ToArray();
    }

    private MetaTrainingOptions Options() => new(
        MaxSteps: setup.Options.MetaTrainingSteps,
        MetaBatchSize: setup.Options.MetaBatchSize,
        ValidationInterval: Math.Max(10, setup.Options.MetaTrainingSteps / 10),
        Patience: 3,
        TimeBudget: setup.Options.MetaTrainingBudget,
        Seed: setup.Options.Seed);

    [LoggerMessage(Level = LogLevel.Information, Message = "Refreshed the initialisation of cluster {Cluster}: held-out error {Before:G4} -> {After:G4} (best at step {Step}); a new version serves")]
    private partial void LogRefreshed(string cluster, double before, double after, int step);

    [LoggerMessage(Level = LogLevel.Information, Message = "Kept the initialisation of cluster {Cluster}: {Steps} more meta-training steps on the latest history did not beat its held-out error {Error:G4}")]
    private partial void LogRefreshKept(string cluster, int steps, double error);

    [LoggerMessage(Level = LogLevel.Information, Message = "Specialised the shared initialisation for cluster {Cluster}: held-out error {Before:G4} -> {After:G4}; kept the specialised copy: {Kept}")]
    private partial void LogSpecialised(string cluster, double before, double after, bool kept);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not meta-train further ({Activity}): {Reason} The initialisation it started from stays")]
    private partial void LogTrainFurtherImpossible(string activity, string reason);
}
