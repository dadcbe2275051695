namespace MetaAnomaly.Forecasting.Training;

/// <summary>The outer loop's budget and early-stopping rule.</summary>
/// <param name="MaxSteps">Outer steps at most.</param>
/// <param name="MetaBatchSize">Tasks per outer step.</param>
/// <param name="ValidationInterval">Steps between two validations.</param>
/// <param name="Patience">Validations without improvement before stopping.</param>
/// <param name="TimeBudget">Wall-clock limit (the embedded demo trains for seconds); null for none.</param>
/// <param name="ValidationFraction">Share of the series held out for validation when there are at least 3.</param>
public sealed record MetaTrainingOptions(
    int MaxSteps = 2000,
    int MetaBatchSize = 32,
    int ValidationInterval = 50,
    int Patience = 5,
    TimeSpan? TimeBudget = null,
    int Seed = 1,
    double ValidationFraction = 0.2);

/// <summary>Reported every validation.</summary>
public sealed record MetaTrainingProgress(int Step, int MaxSteps, double TrainingLoss, double ValidationError);

/// <summary>What one meta-training run did.</summary>
/// <param name="ValidationError">Mean query MSE (normalised units) of the kept state on the held-out tasks.</param>
/// <param name="BestStep">The step whose state was kept.</param>
public sealed record MetaTrainingReport(
    string Learner,
    int Steps,
    IReadOnlyList<double> TrainingLosses,
    double InitialValidationError,
    double ValidationError,
    int BestStep,
    bool StoppedEarly,
    TimeSpan Duration);
