using MetaAnomaly.Forecasting.Clustering;
using MetaAnomaly.Forecasting.Planning;
using MetaAnomaly.Forecasting.Training;

namespace MetaAnomaly.Forecasting.Serving;

/// <summary>The adapter stage: batched adaptation of a cluster's series into a new serving snapshot.</summary>
internal interface IBatchedAdapter
{
    /// <summary>
    /// Adapts the target's series from <paramref name="model"/> in chunks and publishes the cluster's new snapshot;
    /// with <paramref name="judgePrevious"/>, a series whose current model forecast the points since its adaptation worse
    /// than its anchor serves the anchor. Returns how many series were adapted.
    /// </summary>
    int Adapt(AdaptationTarget target, ClusterModel model, bool judgePrevious, SeriesHistories histories, CancellationToken cancellationToken);

    /// <summary>Stops serving the clusters that are not in <paramref name="clusters"/>.</summary>
    void RetireVanished(IReadOnlyList<SeriesCluster> clusters);
}
