using System.Data.Common;
using MetaAnomaly.Shared.Series;
using MetaAnomaly.Shared.Storage;
using Microsoft.Data.Sqlite;

namespace MetaAnomaly.Forecasting.Tests.Serving;

/// <summary>A real SQLite file with the given migrations applied (the product's own database lives in Ingest).</summary>
internal sealed class SqliteTestDatabase(string path, params SchemaMigration[] migrations) : IStateDatabase
{
    private bool _migrated;

    public async ValueTask<DbConnection> OpenAsync(CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection($"Data Source={path};Pooling=False");
        await connection.OpenAsync(cancellationToken);
        if (!_migrated)
        {
            foreach (var migration in migrations.OrderBy(m => m.Id, StringComparer.Ordinal))
            {
                await using var command = connection.CreateCommand();
                command.CommandText = migration.Sql;
                await command.ExecuteNonQueryAsync(cancellationToken);
            }
            _migrated = true;
        }
        return connection;
    }
}

/// <summary>Fixed regular windows per series, as the Ingest buffers would hold them.</summary>
internal sealed class FixedSeriesBuffers(IReadOnlyList<SeriesWindow> windows) : ISeriesBuffers
{
    public IReadOnlyList<SeriesInfo> ListSeries() => windows.Select(w => Describe(w.Key)!).ToArray();

    public SeriesInfo? Describe(SeriesKey key) => windows.FirstOrDefault(w => w.Key == key) is { } w
        ? new SeriesInfo(key, w.Step, w.Count, w.Start, w.End)
        : null;

    public SeriesWindow? Latest(SeriesKey key, int maxPoints) => windows.FirstOrDefault(w => w.Key == key)?.TakeLast(maxPoints);

    public SeriesWindow? Range(SeriesKey key, DateTimeOffset from, DateTimeOffset to) => throw new NotSupportedException();
}
