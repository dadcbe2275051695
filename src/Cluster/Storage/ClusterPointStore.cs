using MetaAnomaly.Shared.Series;
using Npgsql;
using NpgsqlTypes;

namespace MetaAnomaly.Cluster.Storage;

/// <summary>
/// The durable copy of every acknowledged point, in <c>metaanomaly_points</c> by shard: one statement and one commit
/// per shard of a write; a point written twice (a retried write) keeps one row, with its latest value.
/// </summary>
public sealed class ClusterPointStore(NpgsqlDataSource database)
{
    /// <summary>Stores points of one shard in one statement; of a key and timestamp given twice the last value counts.</summary>
    public async Task AppendAsync(int shard, IReadOnlyList<DataPoint> points, CancellationToken cancellationToken)
    {
        var latest = new Dictionary<(string Series, long Ticks), double>();
        foreach (var point in points)
        {
            latest[(point.Key.ToString(), point.Timestamp.UtcTicks)] = point.Value;
        }
        if (latest.Count == 0)
        {
            return;
        }

        await using var command = database.CreateCommand("""
            INSERT INTO metaanomaly_points (shard, series_key, ts, value)
            SELECT @shard, series, ts, value FROM unnest(@series, @ts, @values) AS p(series, ts, value)
            ON CONFLICT (shard, series_key, ts) DO UPDATE SET value = excluded.value
            """);
        command.Parameters.Add(new NpgsqlParameter<int>("shard", shard));
        command.Parameters.Add(new NpgsqlParameter<string[]>("series", latest.Keys.Select(k => k.Series).ToArray()));
        command.Parameters.Add(new NpgsqlParameter<long[]>("ts", latest.Keys.Select(k => k.Ticks).ToArray()));
        command.Parameters.Add(new NpgsqlParameter<double[]>("values", latest.Values.ToArray()));
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>The newest <paramref name="perSeries"/> points of each series of the shard since <paramref name="since"/>, oldest first.</summary>
    public async Task<IReadOnlyList<DataPoint>> ReadShardAsync(int shard, DateTimeOffset since, int perSeries, CancellationToken cancellationToken)
    {
        await using var command = database.CreateCommand("""
            SELECT series_key, ts, value FROM (
                SELECT series_key, ts, value, row_number() OVER (PARTITION BY series_key ORDER BY ts DESC) AS newest
                FROM metaanomaly_points WHERE shard = @shard AND ts >= @since) recent
            WHERE newest <= @perSeries
            ORDER BY series_key, ts
            """);
        command.Parameters.Add(new NpgsqlParameter<int>("shard", shard));
        command.Parameters.Add(new NpgsqlParameter<long>("since", since.UtcTicks));
        command.Parameters.Add(new NpgsqlParameter<int>("perSeries", perSeries) { NpgsqlDbType = NpgsqlDbType.Integer });
        var points = new List<DataPoint>();
        SeriesKey? key = null;
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var text = reader.GetString(0);
            if (key is null || key.ToString() != text)
            {
                key = SeriesKey.Parse(text);
            }
            points.Add(new DataPoint(key, new DateTimeOffset(reader.GetInt64(1), TimeSpan.Zero), reader.GetDouble(2)));
        }
        return points;
    }

    public async Task<int> DeleteOlderThanAsync(int shard, DateTimeOffset cutoff, CancellationToken cancellationToken)
    {
        await using var command = database.CreateCommand("DELETE FROM metaanomaly_points WHERE shard = @shard AND ts < @cutoff");
        command.Parameters.Add(new NpgsqlParameter<int>("shard", shard));
        command.Parameters.Add(new NpgsqlParameter<long>("cutoff", cutoff.UtcTicks));
        return await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
