using MetaAnomaly.Forecasting.Clustering;
using MetaAnomaly.Shared.Series;

namespace MetaAnomaly.Forecasting.Planning;

/// <summary>
/// Series of one cluster to adapt in a run. <paramref name="Replace"/>: the new chunks replace the cluster's served
/// ones; otherwise they join them (catch-up).
/// </summary>
internal sealed record AdaptationTarget(SeriesCluster Cluster, IReadOnlyList<SeriesKey> Keys, bool Replace);
