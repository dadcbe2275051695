using MetaAnomaly.Forecasting.Clustering;
using MetaAnomaly.Shared.Series;

namespace MetaAnomaly.Forecasting.Planning;

/// <summary>
/// A run's clusters (as planned for it), the series it adapts, the histories read so far, and the series in cold start
/// (one support of points, too few to join a cluster) as last planned.
/// </summary>
internal sealed record RunPlan(IReadOnlyList<SeriesCluster> Clusters, IReadOnlyList<AdaptationTarget> Targets, SeriesHistories Histories,
    IReadOnlyList<SeriesKey> ColdStart);
