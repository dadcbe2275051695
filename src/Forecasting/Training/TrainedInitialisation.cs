using MetaAnomaly.Forecasting.Learners;
using MetaAnomaly.Forecasting.Learners.Selection;

namespace MetaAnomaly.Forecasting.Training;

/// <summary>A meta-trained learner with its report, its held-out error and, when chosen automatically, every candidate's score.</summary>
internal sealed record TrainedInitialisation(IMetaLearner Learner, MetaTrainingReport Report, double ValidationError, IReadOnlyList<CandidateScore>? Candidates);
