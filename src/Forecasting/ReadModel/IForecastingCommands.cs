using MetaAnomaly.Forecasting.Training;

namespace MetaAnomaly.Forecasting.ReadModel;

/// <summary>What the dashboard and the API may ask of the forecasting core. Runs one at a time, in order.</summary>
public interface IForecastingCommands
{
    /// <summary>Adapts every series of one cluster (or of all clusters when null) now.</summary>
    Task<AdaptationRunSummary> AdaptNowAsync(string? clusterId, CancellationToken cancellationToken);

    /// <summary>
    /// Meta-trains a new version of the cluster's initialisation with <paramref name="learner"/> (the cluster's
    /// configured learner when null), stores it, then adapts the cluster's series with it.
    /// </summary>
    Task<MetaTrainingReport> RetrainAsync(string clusterId, string? learner, CancellationToken cancellationToken);
}
