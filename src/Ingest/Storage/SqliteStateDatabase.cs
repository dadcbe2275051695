using System.Data.Common;
using MetaAnomaly.Ingest.Configuration;
using MetaAnomaly.Shared.Storage;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace MetaAnomaly.Ingest.Storage;

/// <summary>
/// <see cref="IStateDatabase"/> on one SQLite file in WAL mode. The first open applies every registered
/// <see cref="SchemaMigration"/> not yet recorded in <c>schema_migrations</c>, in ordinal id order, each in its own
/// transaction.
/// </summary>
public sealed partial class SqliteStateDatabase : IStateDatabase
{
    private readonly string _connectionString;
    private readonly IReadOnlyList<SchemaMigration> _migrations;
    private readonly ILogger<SqliteStateDatabase> _logger;
    private readonly SemaphoreSlim _migrationGate = new(1, 1);
    private volatile bool _migrated;

    public SqliteStateDatabase(
        IOptions<IngestOptions> options,
        IHostEnvironment environment,
        IEnumerable<SchemaMigration> migrations,
        ILogger<SqliteStateDatabase> logger)
        : this(Path.GetFullPath(options.Value.StatePath, environment.ContentRootPath), migrations, logger)
    {
    }

    public SqliteStateDatabase(string path, IEnumerable<SchemaMigration> migrations, ILogger<SqliteStateDatabase> logger)
    {
        FilePath = path;
        _logger = logger;
        _migrations = migrations.OrderBy(m => m.Id, StringComparer.Ordinal).ToArray();
        var duplicate = _migrations.GroupBy(m => m.Id).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
        {
            throw new InvalidOperationException($"Schema migration id '{duplicate.Key}' is registered twice.");
        }
        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = path,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Cache = SqliteCacheMode.Default,
            Pooling = true,
            DefaultTimeout = 30,
        }.ToString();
    }

    public string FilePath { get; }

    public async ValueTask<DbConnection> OpenAsync(CancellationToken cancellationToken)
    {
        if (!_migrated)
        {
            await MigrateAsync(cancellationToken);
        }
        return await OpenRawAsync(cancellationToken);
    }

    private async Task<SqliteConnection> OpenRawAsync(CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(_connectionString);
        try
        {
            await connection.OpenAsync(cancellationToken);
            await using var pragma = connection.CreateCommand();
            pragma.CommandText = "PRAGMA busy_timeout = 30000; PRAGMA foreign_keys = ON; PRAGMA synchronous = NORMAL;";
            await pragma.ExecuteNonQueryAsync(cancellationToken);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    private async Task MigrateAsync(CancellationToken cancellationToken)
    {
        await _migrationGate.WaitAsync(cancellationToken);
        try
        {
            if (_migrated)
            {
                return;
            }
            var folder = Path.GetDirectoryName(FilePath);
            if (!string.IsNullOrEmpty(folder))
            {
                Directory.CreateDirectory(folder);
            }
            await using var connection = await OpenRawAsync(cancellationToken);
            await using (var setup = connection.CreateCommand())
            {
                setup.CommandText = """
                    PRAGMA journal_mode = WAL;
                    CREATE TABLE IF NOT EXISTS schema_migrations (id TEXT PRIMARY KEY, applied_at TEXT NOT NULL);
                    """;
                await setup.ExecuteNonQueryAsync(cancellationToken);
            }
            var applied = new HashSet<string>(StringComparer.Ordinal);
            await using (var read = connection.CreateCommand())
            {
                read.CommandText = "SELECT id FROM schema_migrations";
                await using var reader = await read.ExecuteReaderAsync(cancellationToken);
                while (await reader.ReadAsync(cancellationToken))
                {
                    applied.Add(reader.GetString(0));
                }
            }
            foreach (var migration in _migrations.Where(m => !applied.Contains(m.Id)))
            {
                await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken);
                await using var apply = connection.CreateCommand();
                apply.Transaction = transaction;
                apply.CommandText = migration.Sql;
                try
                {
                    await apply.ExecuteNonQueryAsync(cancellationToken);
                }
                catch (SqliteException e)
                {
                    throw new InvalidOperationException($"Schema migration '{migration.Id}' failed on {FilePath}: {e.Message}", e);
                }
                apply.CommandText = "INSERT INTO schema_migrations (id, applied_at) VALUES ($id, $at)";
                apply.Parameters.AddWithValue("$id", migration.Id);
                apply.Parameters.AddWithValue("$at", DateTimeOffset.UtcNow.ToString("O"));
                await apply.ExecuteNonQueryAsync(cancellationToken);
                await transaction.CommitAsync(cancellationToken);
                LogMigrationApplied(migration.Id, FilePath);
            }
            _migrated = true;
        }
        finally
        {
            _migrationGate.Release();
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Applied schema migration {Id} to {Path}")]
    private partial void LogMigrationApplied(string id, string path);
}
