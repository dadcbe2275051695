using MetaAnomaly.Forecasting.Episodes;
using MetaAnomaly.Forecasting.Learners;
using MetaAnomaly.Forecasting.Learners.Selection;
using MetaAnomaly.Forecasting.Registry;

namespace MetaAnomaly.Forecasting.Training;

/// <summary>A cluster's meta-initialisation, in the layout it was trained for, with where it came from.</summary>
internal sealed class ClusterModel(IMetaLearner learner, EpisodeLayout layout)
{
    public IMetaLearner Learner { get; } = learner;

    public EpisodeLayout Layout { get; } = layout;

    public ModelRecord? Record { get; set; }

    /// <summary>When this initialisation was made, or last checked against a refreshed one.</summary>
    public required DateTimeOffset RefreshedAt { get; set; }

    public double? ValidationError { get; set; }

    public MetaTrainingReport? Report { get; set; }

    /// <summary>Every candidate's score when the learner was chosen automatically; null when it was configured.</summary>
    public IReadOnlyList<CandidateScore>? Candidates { get; set; }
}
