namespace MetaAnomaly.Cluster.Tests.Support;

/// <summary>What a test cluster stored in PostgreSQL: its events (the cluster's ledger) and its acknowledged points.</summary>
public static class ClusterTables
{
    public sealed record StoredEvent(string Series, long Start, long End, string Node);

    /// <summary>Every event of the cluster, by series and start.</summary>
    public static async Task<IReadOnlyList<StoredEvent>> EventsAsync(TestPostgres postgres)
    {
        await using var database = postgres.OpenDataSource();
        await using var command = database.CreateCommand("SELECT series_key, start_ts, end_ts, node FROM metaanomaly_events ORDER BY series_key, start_ts");
        await using var reader = await command.ExecuteReaderAsync();
        var events = new List<StoredEvent>();
        while (await reader.ReadAsync())
        {
            events.Add(new StoredEvent(reader.GetString(0), reader.GetInt64(1), reader.GetInt64(2), reader.GetString(3)));
        }
        return events;
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
