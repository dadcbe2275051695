using MetaAnomaly.Shared.Series;
using Npgsql;

namespace MetaAnomaly.Cluster.Storage;

/// <summary>
/// What the node that handed a shard over had seen of each series (<c>metaanomaly_shard_handovers</c>): written when
/// the shard's activation ends on a live node, taken (read and deleted) by its next activation, which scores the
/// points after it. A shard of a lost node has none: its new owner scores what arrived after its read-back.
/// </summary>
public sealed class ShardHandovers(NpgsqlDataSource database)
{
    /// <summary>Replaces the shard's handover with <paramref name="seenThrough"/> (series to the latest point its detector saw).</summary>
    public async Task RecordAsync(int shard, IReadOnlyDictionary<SeriesKey, DateTimeOffset> seenThrough, CancellationToken cancellationToken)
    {
        await using var batch = database.CreateBatch();
        var delete = new NpgsqlBatchCommand("DELETE FROM metaanomaly_shard_handovers WHERE shard = @shard");
        delete.Parameters.Add(new NpgsqlParameter<int>("shard", shard));
        batch.BatchCommands.Add(delete);
        var insert = new NpgsqlBatchCommand("""
            INSERT INTO metaanomaly_shard_handovers (shard, series_key, seen_through)
            SELECT @shard, series, seen FROM unnest(@series, @seen) AS h(series, seen)
            """);
        insert.Parameters.Add(new NpgsqlParameter<int>("shard", shard));
        insert.Parameters.Add(new NpgsqlParameter<string[]>("series", seenThrough.Keys.Select(k => k.ToString()).ToArray()));
        insert.Parameters.Add(new NpgsqlParameter<long[]>("seen", seenThrough.Values.Select(t => t.UtcTicks).ToArray()));
        batch.BatchCommands.Add(insert);
        await batch.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>The shard's handover, deleted as it is read; empty when there is none.</summary>
    public async Task<IReadOnlyDictionary<SeriesKey, DateTimeOffset>> TakeAsync(int shard, CancellationToken cancellationToken)
    {
        await using var command = database.CreateCommand("DELETE FROM metaanomaly_shard_handovers WHERE shard = @shard RETURNING series_key, seen_through");
        command.Parameters.Add(new NpgsqlParameter<int>("shard", shard));
        var seen = new Dictionary<SeriesKey, DateTimeOffset>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            seen[SeriesKey.Parse(reader.GetString(0))] = new DateTimeOffset(reader.GetInt64(1), TimeSpan.Zero);
        }
        return seen;
    }
}
