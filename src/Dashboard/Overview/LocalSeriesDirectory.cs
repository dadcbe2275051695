using MetaAnomaly.Forecasting.ReadModel;
using MetaAnomaly.Shared.Series;

namespace MetaAnomaly.Dashboard.Overview;

/// <summary>The node's own series: its buffers, with the state its forecasting core knows of each.</summary>
internal sealed class LocalSeriesDirectory(ISeriesBuffers buffers, IForecastingReadModel forecasting) : ISeriesDirectory
{
    public Task<IReadOnlyList<ListedSeries>> ListAsync(CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<ListedSeries>>(buffers.ListSeries().OrderBy(s => s.Key).Select(s => new ListedSeries(s, forecasting.StateOf(s.Key))).ToArray());
}
