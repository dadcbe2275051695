using MetaAnomaly.Dashboard.Security;
using MetaAnomaly.Ingest.Storage;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace MetaAnomaly.Dashboard.Tests;

public sealed class ApiKeyLastUsedTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("metaanomaly-keys-").FullName;
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));

    [Fact]
    public async Task LastUsedIsWrittenOncePerMinuteHoweverOftenTheKeyIsPresented()
    {
        var store = new StateDatabaseAccountStore(
            new SqliteStateDatabase(Path.Combine(_folder, "state.db"), DashboardMigrations.All, NullLogger<SqliteStateDatabase>.Instance), _clock);
        var created = await store.CreateApiKeyAsync("writer", DashboardRoles.Writer, CancellationToken.None);
        var first = _clock.GetUtcNow();

        for (var i = 0; i < 5; i++)
        {
            Assert.NotNull(await store.VerifyApiKeyAsync(created.Text, CancellationToken.None));
            _clock.Advance(TimeSpan.FromSeconds(10));
        }
        Assert.Equal(first, await LastUsedAsync(store, created.Key.Id));

        _clock.Advance(TimeSpan.FromSeconds(15));
        Assert.NotNull(await store.VerifyApiKeyAsync(created.Text, CancellationToken.None));
        Assert.Equal(first.AddSeconds(65), await LastUsedAsync(store, created.Key.Id));

        Assert.True(await store.RevokeApiKeyAsync(created.Key.Id, CancellationToken.None));
        Assert.Null(await store.VerifyApiKeyAsync(created.Text, CancellationToken.None));
    }

    private static async Task<DateTimeOffset?> LastUsedAsync(StateDatabaseAccountStore store, string id) =>
        (await store.ListApiKeysAsync(CancellationToken.None)).Single(k => k.Id == id).LastUsedAt;

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
    }
}
