using MetaAnomaly.Detection.Events;

namespace MetaAnomaly.Detection.Storage;

public static class AnomalyStoreLookup
{
    /// <summary>The store's event of the series that started at <paramref name="start"/> (how every node names one event), or null.</summary>
    public static async Task<AnomalyEvent?> FindAsync(this IAnomalyStore store, string seriesKey, DateTimeOffset start, CancellationToken cancellationToken) =>
        (await store.ListAsync(new AnomalyQuery(Series: seriesKey, From: start, To: start), cancellationToken))
            .Items.FirstOrDefault(e => e.SeriesKey == seriesKey && e.Start == start);
}
