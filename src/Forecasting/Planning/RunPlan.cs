using MetaAnomaly.Forecasting.Clustering;

namespace MetaAnomaly.Forecasting.Planning;

/// <summary>A run's clusters (as planned for it), the series it adapts, and the histories read so far.</summary>
internal sealed record RunPlan(IReadOnlyList<SeriesCluster> Clusters, IReadOnlyList<AdaptationTarget> Targets, SeriesHistories Histories);
