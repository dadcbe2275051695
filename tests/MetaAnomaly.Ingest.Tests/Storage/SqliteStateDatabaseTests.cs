using MetaAnomaly.Ingest.Storage;
using MetaAnomaly.Shared.Storage;
using Microsoft.Extensions.Logging.Abstractions;

namespace MetaAnomaly.Ingest.Tests.Storage;

public sealed class SqliteStateDatabaseTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    private SqliteStateDatabase Open(string file, params SchemaMigration[] migrations) =>
        new(_temp.File(file), migrations, NullLogger<SqliteStateDatabase>.Instance);

    [Fact]
    public async Task AppliesEveryMigrationOnceInIdOrder()
    {
        SchemaMigration[] migrations =
        [
            new("detection-0001-b", "INSERT INTO log (id) VALUES ('detection-0001')"),
            new("a-0001-log", "CREATE TABLE log (n INTEGER PRIMARY KEY AUTOINCREMENT, id TEXT)"),
            new("ingest-0001-c", "INSERT INTO log (id) VALUES ('ingest-0001')"),
        ];
        var first = Open("nested/folder/state.db", migrations);
        await (await first.OpenAsync(CancellationToken.None)).DisposeAsync();
        var second = Open("nested/folder/state.db", migrations);
        await using var connection = await second.OpenAsync(CancellationToken.None);

        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT group_concat(id, ' ') FROM (SELECT id FROM log ORDER BY n)";
        Assert.Equal("detection-0001 ingest-0001", await command.ExecuteScalarAsync());
        command.CommandText = "SELECT count(*) FROM schema_migrations";
        Assert.Equal(3L, await command.ExecuteScalarAsync());
    }

    [Fact]
    public async Task UsesWriteAheadLogging()
    {
        await using var connection = await Open("wal.db").OpenAsync(CancellationToken.None);
        await using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA journal_mode";
        Assert.Equal("wal", await command.ExecuteScalarAsync());
    }

    [Fact]
    public async Task AFailingMigrationNamesItselfAndIsNotRecorded()
    {
        var database = Open("bad.db", new SchemaMigration("x-0001-bad", "CREATE TABLE oops ("));
        var error = await Assert.ThrowsAsync<InvalidOperationException>(async () => await database.OpenAsync(CancellationToken.None));
        Assert.Contains("x-0001-bad", error.Message);
    }

    [Fact]
    public void DuplicateMigrationIdsAreRefused()
    {
        var error = Assert.Throws<InvalidOperationException>(() => Open("dup.db", new("x-1", "SELECT 1"), new("x-1", "SELECT 2")));
        Assert.Contains("x-1", error.Message);
    }
}
