using MetaAnomaly.Ingest.Storage;
using Npgsql;

namespace MetaAnomaly.Cluster.Pull;

/// <summary>One pull's watermarks in <c>metaanomaly_pull_watermarks</c>, in place of the node's SQLite ones.</summary>
internal sealed class ClusterWatermarkStore(NpgsqlDataSource database, string pull) : IWatermarkStore
{
    public async Task<IReadOnlyDictionary<string, long>> GetAllAsync(string source, CancellationToken cancellationToken)
    {
        await using var command = database.CreateCommand("SELECT scope, value FROM metaanomaly_pull_watermarks WHERE pull = @pull AND source = @source");
        command.Parameters.AddWithValue("pull", pull);
        command.Parameters.AddWithValue("source", source);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var values = new Dictionary<string, long>(StringComparer.Ordinal);
        while (await reader.ReadAsync(cancellationToken))
        {
            values[reader.GetString(0)] = reader.GetInt64(1);
        }
        return values;
    }

    public async Task SetAsync(string source, IEnumerable<KeyValuePair<string, long>> values, CancellationToken cancellationToken)
    {
        var pairs = values.ToArray();
        await using var command = database.CreateCommand("""
            INSERT INTO metaanomaly_pull_watermarks (pull, source, scope, value, updated)
            SELECT @pull, @source, scope, value, now() FROM unnest(@scopes, @values) AS w(scope, value)
            ON CONFLICT (pull, source, scope) DO UPDATE SET value = excluded.value, updated = excluded.updated
            """);
        command.Parameters.AddWithValue("pull", pull);
        command.Parameters.AddWithValue("source", source);
        command.Parameters.Add(new NpgsqlParameter<string[]>("scopes", pairs.Select(p => p.Key).ToArray()));
        command.Parameters.Add(new NpgsqlParameter<long[]>("values", pairs.Select(p => p.Value).ToArray()));
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
