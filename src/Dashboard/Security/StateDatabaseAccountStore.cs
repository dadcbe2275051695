using System.Collections.Concurrent;
using System.Data.Common;
using System.Globalization;
using System.Security.Cryptography;
using MetaAnomaly.Shared.Storage;

namespace MetaAnomaly.Dashboard.Security;

/// <summary>
/// <see cref="IAccountStore"/> on the node's state database (tables from <see cref="DashboardMigrations"/>), or in a
/// cluster on the database the nodes share (<see cref="IClusterStateDatabase"/>): its SQL is SQLite's and PostgreSQL's.
/// </summary>
internal sealed class StateDatabaseAccountStore(IStateDatabase database, TimeProvider clock) : IAccountStore
{
    /// <summary>
    /// A key's <c>last_used_at</c> is written at most this often: a writer pushing many times a second would otherwise
    /// take the database's write lock on every request.
    /// </summary>
    private static readonly TimeSpan LastUsedResolution = TimeSpan.FromMinutes(1);

    private readonly ConcurrentDictionary<string, DateTimeOffset> _lastUsedWritten = new(StringComparer.Ordinal);
    private volatile bool _hasAdmin;

    public async ValueTask<bool> HasAdminAsync(CancellationToken cancellationToken)
    {
        if (_hasAdmin)
        {
            return true;
        }
        await using var connection = await database.OpenAsync(cancellationToken);
        var count = Convert.ToInt64(await ScalarAsync(connection, "SELECT COUNT(*) FROM dashboard_accounts WHERE role = 'admin'", [], cancellationToken), CultureInfo.InvariantCulture);
        _hasAdmin = count > 0;
        return _hasAdmin;
    }

    public async ValueTask<bool> CreateFirstAdminAsync(string name, string password, CancellationToken cancellationToken)
    {
        var hash = PasswordHasher.Hash(password);
        await using var connection = await database.OpenAsync(cancellationToken);
        var inserted = await ExecuteAsync(connection, """
            INSERT INTO dashboard_accounts (name, password_hash, role, created_at, session_stamp)
            SELECT @name, @hash, 'admin', @now, @stamp
            WHERE NOT EXISTS (SELECT 1 FROM dashboard_accounts WHERE role = 'admin')
            ON CONFLICT (name) DO NOTHING
            """, [("@name", name), ("@hash", hash), ("@now", Now()), ("@stamp", NewStamp())], cancellationToken);
        _hasAdmin = true;
        return inserted == 1;
    }

    public async ValueTask<bool> CreateAccountAsync(string name, string password, string role, CancellationToken cancellationToken)
    {
        RequireRole(role);
        var hash = PasswordHasher.Hash(password);
        await using var connection = await database.OpenAsync(cancellationToken);
        var inserted = await ExecuteAsync(connection, """
            INSERT INTO dashboard_accounts (name, password_hash, role, created_at, session_stamp) VALUES (@name, @hash, @role, @now, @stamp)
            ON CONFLICT (name) DO NOTHING
            """, [("@name", name), ("@hash", hash), ("@role", role), ("@now", Now()), ("@stamp", NewStamp())], cancellationToken);
        return inserted == 1;
    }

    public async ValueTask<IReadOnlyList<Account>> ListAccountsAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = Command(connection, "SELECT name, role, created_at FROM dashboard_accounts ORDER BY name", []);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var accounts = new List<Account>();
        while (await reader.ReadAsync(cancellationToken))
        {
            accounts.Add(new Account(reader.GetString(0), reader.GetString(1), ParseTime(reader.GetString(2))));
        }
        return accounts;
    }

    public async ValueTask<bool> DeleteAccountAsync(string name, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var deleted = await ExecuteAsync(connection, """
            DELETE FROM dashboard_accounts WHERE name = @name
            AND (role <> 'admin' OR (SELECT COUNT(*) FROM dashboard_accounts WHERE role = 'admin') > 1)
            """, [("@name", name)], cancellationToken);
        return deleted == 1;
    }

    public async ValueTask<bool> ChangePasswordAsync(string name, string password, CancellationToken cancellationToken)
    {
        var hash = PasswordHasher.Hash(password);
        await using var connection = await database.OpenAsync(cancellationToken);
        return await ExecuteAsync(connection, "UPDATE dashboard_accounts SET password_hash = @hash, session_stamp = @stamp WHERE name = @name",
            [("@name", name), ("@hash", hash), ("@stamp", NewStamp())], cancellationToken) == 1;
    }

    public async ValueTask<bool> ChangeRoleAsync(string name, string role, CancellationToken cancellationToken)
    {
        RequireRole(role);
        await using var connection = await database.OpenAsync(cancellationToken);
        return await ExecuteAsync(connection, """
            UPDATE dashboard_accounts SET role = @role, session_stamp = @stamp WHERE name = @name
            AND (@role = 'admin' OR role <> 'admin' OR (SELECT COUNT(*) FROM dashboard_accounts WHERE role = 'admin') > 1)
            """, [("@name", name), ("@role", role), ("@stamp", NewStamp())], cancellationToken) == 1;
    }

    public async ValueTask EndSessionsAsync(string name, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await ExecuteAsync(connection, "UPDATE dashboard_accounts SET session_stamp = @stamp WHERE name = @name",
            [("@name", name), ("@stamp", NewStamp())], cancellationToken);
    }

    public async ValueTask<AccountSession?> FindSessionAsync(string name, CancellationToken cancellationToken) =>
        (await FindAsync(name, cancellationToken))?.Session;

    public async ValueTask<AccountSession?> VerifyPasswordAsync(string name, string password, CancellationToken cancellationToken)
    {
        var found = await FindAsync(name, cancellationToken);
        var matches = PasswordHasher.Verify(password, found?.PasswordHash ?? PasswordHasher.NoAccountHash);
        return matches && found is { } account ? account.Session : null;
    }

    public async ValueTask<CreatedApiKey> CreateApiKeyAsync(string name, string role, CancellationToken cancellationToken)
    {
        RequireRole(role);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        var secret = ApiKeySecret.Create();
        var now = clock.GetUtcNow();
        await using var connection = await database.OpenAsync(cancellationToken);
        await ExecuteAsync(connection, """
            INSERT INTO dashboard_api_keys (id, name, role, secret_hash, created_at) VALUES (@id, @name, @role, @hash, @now)
            """, [("@id", secret.Id), ("@name", name.Trim()), ("@role", role), ("@hash", secret.SecretHash), ("@now", Format(now))], cancellationToken);
        return new CreatedApiKey(new ApiKeyInfo(secret.Id, name.Trim(), role, now, null, null), secret.Text);
    }

    public async ValueTask<IReadOnlyList<ApiKeyInfo>> ListApiKeysAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = Command(connection,
            "SELECT id, name, role, created_at, last_used_at, revoked_at FROM dashboard_api_keys ORDER BY created_at DESC", []);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var keys = new List<ApiKeyInfo>();
        while (await reader.ReadAsync(cancellationToken))
        {
            keys.Add(ReadKey(reader));
        }
        return keys;
    }

    public async ValueTask<bool> RevokeApiKeyAsync(string id, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var revoked = await ExecuteAsync(connection, "UPDATE dashboard_api_keys SET revoked_at = @now WHERE id = @id AND revoked_at IS NULL",
            [("@id", id), ("@now", Now())], cancellationToken);
        return revoked == 1;
    }

    public async ValueTask<ApiKeyInfo?> VerifyApiKeyAsync(string presented, CancellationToken cancellationToken)
    {
        if (!ApiKeySecret.TryParse(presented, out var secret))
        {
            return null;
        }
        await using var connection = await database.OpenAsync(cancellationToken);
        ApiKeyInfo? key = null;
        await using (var command = Command(connection,
            "SELECT id, name, role, created_at, last_used_at, revoked_at, secret_hash FROM dashboard_api_keys WHERE id = @id AND revoked_at IS NULL",
            [("@id", secret.Id)]))
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            if (await reader.ReadAsync(cancellationToken) && ApiKeySecret.Matches(secret.Secret, reader.GetString(6)))
            {
                key = ReadKey(reader);
            }
        }
        var now = clock.GetUtcNow();
        if (key is not null && !(_lastUsedWritten.TryGetValue(key.Id, out var written) && now - written < LastUsedResolution))
        {
            _lastUsedWritten[key.Id] = now;
            await ExecuteAsync(connection, "UPDATE dashboard_api_keys SET last_used_at = @now WHERE id = @id", [("@id", key.Id), ("@now", Format(now))], cancellationToken);
        }
        return key;
    }

    private async ValueTask<(AccountSession Session, string PasswordHash)?> FindAsync(string name, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = Command(connection, "SELECT role, session_stamp, password_hash FROM dashboard_accounts WHERE name = @name", [("@name", name)]);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken)
            ? (new AccountSession(name, reader.GetString(0), reader.GetString(1)), reader.GetString(2))
            : null;
    }

    private static string NewStamp() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));

    private static void RequireRole(string role)
    {
        if (!DashboardRoles.IsKnown(role))
        {
            throw new ArgumentException($"Unknown role '{role}': expected one of {string.Join(", ", DashboardRoles.All)}.", nameof(role));
        }
    }

    private static ApiKeyInfo ReadKey(DbDataReader reader) => new(
        reader.GetString(0), reader.GetString(1), reader.GetString(2), ParseTime(reader.GetString(3)),
        reader.IsDBNull(4) ? null : ParseTime(reader.GetString(4)),
        reader.IsDBNull(5) ? null : ParseTime(reader.GetString(5)));

    private string Now() => Format(clock.GetUtcNow());

    private static string Format(DateTimeOffset time) => time.UtcDateTime.ToString("O", CultureInfo.InvariantCulture);

    private static DateTimeOffset ParseTime(string text) => DateTimeOffset.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);

    private static DbCommand Command(DbConnection connection, string sql, (string Name, object Value)[] parameters)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            var parameter = command.CreateParameter();
            parameter.ParameterName = name;
            parameter.Value = value;
            command.Parameters.Add(parameter);
        }
        return command;
    }

    private static async ValueTask<int> ExecuteAsync(DbConnection connection, string sql, (string, object)[] parameters, CancellationToken cancellationToken)
    {
        await using var command = Command(connection, sql, parameters);
        return await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static async ValueTask<object?> ScalarAsync(DbConnection connection, string sql, (string, object)[] parameters, CancellationToken cancellationToken)
    {
        await using var command = Command(connection, sql, parameters);
        return await command.ExecuteScalarAsync(cancellationToken);
    }
}
