using MetaAnomaly.Detection.Storage;
using Microsoft.Data.Sqlite;

namespace MetaAnomaly.Detection.Tests.Storage;

/// <summary>Detection's migrations as the host applies them: each in its own transaction, foreign keys enforced.</summary>
public sealed class DetectionMigrationsTests : IDisposable
{
    private const string FreedDeliveries = "detection-0009-deliveries-without-endpoint-key";

    private readonly string _path = Path.Combine(Path.GetTempPath(), $"metaanomaly-migrations-{Guid.NewGuid():N}.db");

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        File.Delete(_path);
    }

    [Fact]
    public async Task AnOutboxWrittenBeforeDeliveriesWereFreedOfTheLocalEndpointTableKeepsEveryDeliveryAndAttempt()
    {
        await using var connection = await OpenAsync();
        await MigrateAsync(connection, m => string.CompareOrdinal(m.Id, FreedDeliveries) < 0);
        await ExecuteAsync(connection, """
            INSERT INTO detection_webhooks (id, name, url, headers_json, min_severity, series_filter, from_configuration, created_ms)
            VALUES (3, 'pager', 'http://127.0.0.1:9/hook', '{}', 0, NULL, 0, 1);
            INSERT INTO detection_deliveries (id, endpoint_id, event_id, idempotency_key, payload, state, attempts, next_attempt_ms, last_status,
                last_error, last_latency_ms, created_ms, delivered_ms, retry_since_ms)
            VALUES (7, 3, 11, 'anomaly-11-opened', '{"type":"anomaly.opened"}', 2, 2, 500, 503, 'HTTP 503', 40, 100, NULL, 90);
            INSERT INTO detection_delivery_attempts (id, delivery_id, attempt, at_ms, status, error, latency_ms)
            VALUES (20, 7, 1, 200, 503, 'HTTP 503', 30), (21, 7, 2, 400, 503, 'HTTP 503', 40);
            """);

        await MigrateAsync(connection, m => string.CompareOrdinal(m.Id, FreedDeliveries) >= 0);

        Assert.Equal("7|3|11|anomaly-11-opened|2|2|500|503|HTTP 503|40|100||90", await ScalarAsync(connection, """
            SELECT id || '|' || endpoint_id || '|' || event_id || '|' || idempotency_key || '|' || state || '|' || attempts || '|' || next_attempt_ms
                || '|' || last_status || '|' || last_error || '|' || last_latency_ms || '|' || created_ms || '|' || COALESCE(delivered_ms, '')
                || '|' || retry_since_ms FROM detection_deliveries
            """));
        Assert.Equal("20:1,21:2", await ScalarAsync(connection, "SELECT group_concat(id || ':' || attempt, ',') FROM (SELECT * FROM detection_delivery_attempts ORDER BY id)"));
        // A cluster's endpoint ids are not in this database's endpoint table.
        await ExecuteAsync(connection, """
            INSERT INTO detection_deliveries (endpoint_id, event_id, idempotency_key, payload, state, attempts, next_attempt_ms, created_ms)
            VALUES (999, 12, 'anomaly-12-opened', '{}', 0, 0, 0, 0)
            """);
        Assert.Equal(8L, await ScalarAsync(connection, "SELECT id FROM detection_deliveries WHERE endpoint_id = 999"));
        await ExecuteAsync(connection, "DELETE FROM detection_deliveries WHERE id = 7");
        Assert.Equal(0L, await ScalarAsync(connection, "SELECT count(*) FROM detection_delivery_attempts"));
        await Assert.ThrowsAsync<SqliteException>(() => ExecuteAsync(connection,
            "INSERT INTO detection_delivery_attempts (delivery_id, attempt, at_ms, status, error, latency_ms) VALUES (7, 3, 1, NULL, NULL, 1)"));
    }

    private async Task<SqliteConnection> OpenAsync()
    {
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = _path, Pooling = false }.ToString());
        await connection.OpenAsync();
        await ExecuteAsync(connection, "PRAGMA foreign_keys = ON");
        return connection;
    }

    private static async Task MigrateAsync(SqliteConnection connection, Func<Shared.Storage.SchemaMigration, bool> which)
    {
        foreach (var migration in DetectionMigrations.All.Where(which).OrderBy(m => m.Id, StringComparer.Ordinal))
        {
            await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync();
            await using var command = connection.CreateCommand();
            command.Transaction = transaction;
            command.CommandText = migration.Sql;
            await command.ExecuteNonQueryAsync();
            await transaction.CommitAsync();
        }
    }

    private static async Task ExecuteAsync(SqliteConnection connection, string sql)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync();
    }

    private static async Task<object?> ScalarAsync(SqliteConnection connection, string sql)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return await command.ExecuteScalarAsync();
    }
}
