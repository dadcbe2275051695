using MetaAnomaly.Shared.Storage;
using Microsoft.Data.Sqlite;

namespace MetaAnomaly.Ingest.Storage;

/// <summary>
/// Persisted progress of each source: one integer per (source, scope), for example the last pulled time in
/// nanoseconds per measurement, or the next demo row per file.
/// </summary>
public sealed class WatermarkStore(IStateDatabase database, TimeProvider clock) : IWatermarkStore
{
    public async Task<long?> GetAsync(string source, string scope, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT value FROM ingest_watermarks WHERE source = $source AND scope = $scope";
        command.Parameters.Add(new SqliteParameter("$source", source));
        command.Parameters.Add(new SqliteParameter("$scope", scope));
        return await command.ExecuteScalarAsync(cancellationToken) is long value ? value : null;
    }

    public async Task<IReadOnlyDictionary<string, long>> GetAllAsync(string source, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT scope, value FROM ingest_watermarks WHERE source = $source";
        command.Parameters.Add(new SqliteParameter("$source", source));
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
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = """
            INSERT INTO ingest_watermarks (source, scope, value, updated_at) VALUES ($source, $scope, $value, $at)
            ON CONFLICT (source, scope) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at
            """;
        var scope = new SqliteParameter("$scope", "");
        var value = new SqliteParameter("$value", 0L);
        command.Parameters.Add(new SqliteParameter("$source", source));
        command.Parameters.Add(new SqliteParameter("$at", clock.GetUtcNow().ToString("O")));
        command.Parameters.Add(scope);
        command.Parameters.Add(value);
        foreach (var (key, v) in values)
        {
            scope.Value = key;
            value.Value = v;
            await command.ExecuteNonQueryAsync(cancellationToken);
        }
        await transaction.CommitAsync(cancellationToken);
    }

    public Task SetAsync(string source, string scope, long value, CancellationToken cancellationToken) =>
        SetAsync(source, [new KeyValuePair<string, long>(scope, value)], cancellationToken);
}
