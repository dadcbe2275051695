using MetaAnomaly.Shared.Forecasts;
using MetaAnomaly.Shared.Series;

namespace MetaAnomaly.Forecasting.ReadModel;

/// <summary>Everything the dashboard reads from the forecasting core. Cheap, thread-safe snapshots; no tensors.</summary>
public interface IForecastingReadModel
{
    IReadOnlyList<ClusterSummary> Clusters();

    ClusterSummary? Cluster(string clusterId);

    /// <summary>Every series the core knows, with its state (warming up with a reason, pending, adapted, failed).</summary>
    IReadOnlyList<SeriesModelState> SeriesStates();

    SeriesModelState StateOf(SeriesKey key);

    /// <summary>The forecast for the next horizon made at the series' last adaptation, or null when it has none.</summary>
    SeriesForecast? ForecastOf(SeriesKey key);

    AdaptationRunSummary? LastAdaptation { get; }

    /// <summary>The next scheduled daily adaptation (from <c>Forecasting:AdaptationCron</c>).</summary>
    DateTimeOffset? NextScheduledAdaptation { get; }

    /// <summary>Null when idle.</summary>
    ForecastingActivity? CurrentActivity { get; }

    /// <summary>Names a cluster can be (re)trained with: every registered meta-learner.</summary>
    IReadOnlyList<string> AvailableLearners { get; }
}
