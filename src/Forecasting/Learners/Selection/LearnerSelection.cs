using MetaAnomaly.Forecasting.Training;

namespace MetaAnomaly.Forecasting.Learners.Selection;

/// <summary>
/// The outcome of choosing a learner for one cluster: the winner, its meta-trained state (ready to store as the
/// cluster's model, no retraining needed), and every candidate's score for the model registry and the dashboard.
/// </summary>
/// <param name="ScoredOn">What the scores were measured on: held-out series of the cluster, or (a cluster of fewer
/// series) the latest stretch of each series, which the trainer kept out of training.</param>
public sealed record LearnerSelection(
    string Chosen,
    IReadOnlyList<CandidateScore> Candidates,
    MetaTrainingReport ChosenReport,
    byte[] ChosenState,
    string ScoredOn);
