namespace MetaAnomaly.Forecasting.Learners.Selection;

/// <summary>How one candidate learner did on a cluster's held-out series.</summary>
/// <param name="ValidationError">
/// Mean query MSE (normalised units) after adapting on each held-out task's support; null when the candidate failed.
/// </param>
/// <param name="TrainingSteps">Outer steps the candidate was meta-trained for (early stopping may end it sooner).</param>
/// <param name="Failure">Why the candidate could not be scored; null when it was.</param>
public sealed record CandidateScore(string Learner, double? ValidationError, int TrainingSteps, TimeSpan Duration, string? Failure = null);
