using MetaAnomaly.Forecasting.Clustering;
using MetaAnomaly.Forecasting.Runs;

namespace MetaAnomaly.Forecasting.Planning;

/// <summary>The planner stage: periods and clusters of the series, and what each run adapts.</summary>
internal interface IClusterPlanner
{
    /// <summary>The current clusters (empty before the first run).</summary>
    IReadOnlyList<SeriesCluster> Clusters { get; }

    /// <summary>
    /// Re-detects periods and re-clusters as <paramref name="kind"/> asks (every series on a full run, the not yet
    /// clustered on a catch-up, none otherwise) and chooses the run's targets (<paramref name="clusterId"/>'s series
    /// for a one-cluster run).
    /// </summary>
    RunPlan Plan(RunKind kind, string? clusterId, CancellationToken cancellationToken);
}
