using MetaAnomaly.Forecasting.Clustering;
using MetaAnomaly.Shared.Series;

namespace MetaAnomaly.Forecasting.Planning;

/// <summary>
/// Series of one cluster to adapt in a run. <paramref name="Replace"/>: the new chunks replace the cluster's served
/// ones; otherwise they join them (catch-up). With <paramref name="ColdStartSource"/> (what they are served from, in
/// words) the series are in cold start: served together under <see cref="ColdStartId"/>, in no cluster yet, from one
/// support of points.
/// </summary>
internal sealed record AdaptationTarget(SeriesCluster Cluster, IReadOnlyList<SeriesKey> Keys, bool Replace, string? ColdStartSource = null)
{
    /// <summary>The id of the serving snapshot of the series in cold start (no cluster has it).</summary>
    public const string ColdStartId = "cold-start";

    public bool ColdStart => ColdStartSource is not null;

    /// <summary>Series in cold start served from <paramref name="source"/>.</summary>
    public static AdaptationTarget ForColdStart(IReadOnlyList<SeriesKey> keys, bool replace, string source) =>
        new(new SeriesCluster(ColdStartId, 0, [], keys), keys, replace, source);
}
