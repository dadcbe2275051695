using System.Data.Common;
using MetaAnomaly.Detection.Storage;
using MetaAnomaly.Shared.Storage;
using Microsoft.Data.Sqlite;

namespace MetaAnomaly.Detection.Tests.Support;

/// <summary>A file-backed SQLite <see cref="IStateDatabase"/> with Detection's migrations, deleted on dispose.</summary>
public sealed class SqliteTestDatabase : IStateDatabase, IDisposable
{
    private readonly string _path = Path.Combine(Path.GetTempPath(), $"metaanomaly-detection-{Guid.NewGuid():N}.db");
    private readonly SemaphoreSlim _migrate = new(1, 1);
    private bool _migrated;

    private string ConnectionString => new SqliteConnectionStringBuilder { DataSource = _path, Pooling = false, DefaultTimeout = 30 }.ToString();

    public async ValueTask<DbConnection> OpenAsync(CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(ConnectionString);
        await connection.OpenAsync(cancellationToken);
        await _migrate.WaitAsync(cancellationToken);
        try
        {
            if (!_migrated)
            {
                await using (var wal = connection.CreateCommand())
                {
                    wal.CommandText = "PRAGMA journal_mode = WAL;";
                    await wal.ExecuteNonQueryAsync(cancellationToken);
                }
                foreach (var migration in DetectionMigrations.All.OrderBy(m => m.Id, StringComparer.Ordinal))
                {
                    await using var command = connection.CreateCommand();
                    command.CommandText = migration.Sql;
                    await command.ExecuteNonQueryAsync(cancellationToken);
                }
                _migrated = true;
            }
        }
        finally
        {
            _migrate.Release();
        }
        return connection;
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        foreach (var suffix in new[] { "", "-wal", "-shm" })
        {
            File.Delete(_path + suffix);
        }
        _migrate.Dispose();
    }
}
