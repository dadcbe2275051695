namespace MetaAnomaly.Cluster.Tests.Support;

/// <summary>What a test cluster stored in PostgreSQL: its events (the cluster's ledger) and its acknowledged points.</summary>
public static class ClusterTables
{
    public sealed record StoredEvent(long Id, string Series, long Start, long End, string Node);

    /// <summary>Every event of the cluster (its id the cluster's), by series and start.</summary>
    public static async Task<IReadOnlyList<StoredEvent>> EventsAsync(TestPostgres postgres)
    {
        await using var database = postgres.OpenDataSource();
        await using var command = database.CreateCommand("SELECT id, series_key, start_ts, end_ts, node FROM metaanomaly_events ORDER BY series_key, start_ts");
        await using var reader = await command.ExecuteReaderAsync();
        var events = new List<StoredEvent>();
        while (await reader.ReadAsync())
        {
            events.Add(new StoredEvent(reader.GetInt64(0), reader.GetString(1), reader.GetInt64(2), reader.GetInt64(3), reader.GetString(4)));
        }
        return events;
    }

    /// <summary>Waits until every pushed series has an event over the spike from <paramref name="from"/> to <paramref name="to"/>; returns those events.</summary>
    public static async Task<IReadOnlyList<StoredEvent>> WaitForSpikeEventsAsync(TestPostgres postgres, DateTimeOffset from, DateTimeOffset to, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var spiked = (await EventsAsync(postgres)).Where(e => e.Start <= to.UtcTicks && e.End >= from.UtcTicks).ToArray();
            if (spiked.Select(e => e.Series).Distinct().Count() == SeriesPusher.SeriesCount)
            {
                return spiked;
            }
            Assert.True(DateTime.UtcNow < deadline, $"only {spiked.Select(e => e.Series).Distinct().Count()} series have an event over the spike within {timeout}; none: "
                + string.Join(", ", Enumerable.Range(0, SeriesPusher.SeriesCount).Select(SeriesPusher.SeriesKey).Except(spiked.Select(e => e.Series))));
            await Task.Delay(1000);
        }
    }

    /// <summary>The pairs of one series' events in which the later starts before the earlier ends (an event raised twice).</summary>
    public static IReadOnlyList<(StoredEvent First, StoredEvent Second)> Overlapping(IReadOnlyList<StoredEvent> events) =>
        events.Zip(events.Skip(1)).Where(p => p.First.Series == p.Second.Series && p.Second.Start < p.First.End).ToArray();

    /// <summary>Every point in PostgreSQL.</summary>
    public static async Task<HashSet<SeriesPusher.Point>> PointsAsync(TestPostgres postgres)
    {
        await using var database = postgres.OpenDataSource();
        await using var command = database.CreateCommand("SELECT series_key, ts FROM metaanomaly_points");
        await using var reader = await command.ExecuteReaderAsync();
        var stored = new HashSet<SeriesPusher.Point>();
        while (await reader.ReadAsync())
        {
            stored.Add(new SeriesPusher.Point(reader.GetString(0), reader.GetInt64(1)));
        }
        return stored;
    }
}
