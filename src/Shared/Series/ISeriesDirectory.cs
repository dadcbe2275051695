using MetaAnomaly.Shared.Forecasts;

namespace MetaAnomaly.Shared.Series;

/// <summary>
/// Every series with its model state, as the dashboard's series list shows them: on a single node its own buffers and
/// forecasting core; in a cluster every node's, each from the node that holds it.
/// </summary>
public interface ISeriesDirectory
{
    Task<IReadOnlyList<ListedSeries>> ListAsync(CancellationToken cancellationToken);
}

/// <summary>A series of the directory.</summary>
public sealed record ListedSeries(SeriesInfo Info, SeriesModelState State);
