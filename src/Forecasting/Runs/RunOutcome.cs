using MetaAnomaly.Forecasting.Learners;
using MetaAnomaly.Forecasting.Training;

namespace MetaAnomaly.Forecasting.Runs;

/// <summary>What one run did, gathered by its stages.</summary>
internal sealed class RunOutcome
{
    /// <summary>Initialisations made in the run, stored in the registry once it is done.</summary>
    public List<TrainedModel> Trained { get; } = [];

    /// <summary>Initialisations replaced in the run: disposed once every cluster has been adapted.</summary>
    public List<IMetaLearner> Retired { get; } = [];

    public List<string> Errors { get; } = [];

    public int SeriesAdapted { get; set; }

    public int ClustersAdapted { get; set; }
}
