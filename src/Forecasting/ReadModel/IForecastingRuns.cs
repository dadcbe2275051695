namespace MetaAnomaly.Forecasting.ReadModel;

/// <summary>
/// The forecasting core's scheduled work, as the host's jobs (and a replay in data time) start it. Runs are
/// serialised with the commands of <see cref="IForecastingCommands"/>.
/// </summary>
public interface IForecastingRuns
{
    /// <summary>Picks up new and warming-up series: period, cluster (joining the nearest), model, adaptation.</summary>
    Task<AdaptationRunSummary> CatchUpAsync(CancellationToken cancellationToken);

    /// <summary>The daily run: periods re-detected, full re-clustering (ids kept), every series adapted.</summary>
    Task<AdaptationRunSummary> RunScheduledAsync(CancellationToken cancellationToken);
}
