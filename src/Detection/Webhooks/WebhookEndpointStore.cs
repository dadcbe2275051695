using System.Data.Common;
using System.Security.Cryptography;
using System.Text.Json;
using MetaAnomaly.Detection.Events;
using MetaAnomaly.Detection.Storage;
using MetaAnomaly.Shared.Security;
using MetaAnomaly.Shared.Storage;

namespace MetaAnomaly.Detection.Webhooks;

/// <summary>
/// The webhook endpoints, in the state database every node shares (a single node's own; a cluster's PostgreSQL, so an
/// endpoint set on one node is every node's). Signing secrets are kept protected by the host's
/// <see cref="ISecretProtector"/>; one stored in plain text by an older version is protected at start.
/// </summary>
internal sealed class WebhookEndpointStore(IStateDatabase database, TimeProvider time, ISecretProtector secrets)
{
    private const string ProtectedPrefix = "protected:";

    private const string Columns = "id, name, url, headers_json, secret, min_severity, series_filter, from_configuration";

    /// <summary>Makes the configured endpoints match configuration: upserted by name, removed when no longer configured.</summary>
    public async Task SyncConfiguredAsync(IReadOnlyList<WebhookEndpointOptions> configured, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        foreach (var endpoint in configured)
        {
            await using var upsert = connection.Command("""
                INSERT INTO detection_webhooks (name, url, secret, headers_json, min_severity, series_filter, from_configuration, created_ms)
                VALUES (@name, @url, @secret, @headers, @severity, @filter, 1, @at)
                ON CONFLICT (name) DO UPDATE SET url = excluded.url, secret = excluded.secret, headers_json = excluded.headers_json,
                    min_severity = excluded.min_severity, series_filter = excluded.series_filter, from_configuration = 1
                """, transaction)
                .With("@name", endpoint.Name).With("@url", endpoint.Url).With("@secret", Protect(endpoint.Secret))
                .With("@headers", JsonSerializer.Serialize(endpoint.Headers)).With("@severity", (int)endpoint.MinSeverity)
                .With("@filter", endpoint.SeriesFilter).With("@at", time.GetUtcNow().ToUnixMs());
            await upsert.ExecuteNonQueryAsync(cancellationToken);
        }
        var names = configured.Select(e => e.Name).ToHashSet(StringComparer.Ordinal);
        foreach (var stale in (await ReadTargetsAsync(connection, transaction, cancellationToken)).Where(t => t.FromConfiguration && !names.Contains(t.Name)))
        {
            await using var delete = connection.Command("DELETE FROM detection_webhooks WHERE id = @id", transaction).With("@id", stale.Id);
            await delete.ExecuteNonQueryAsync(cancellationToken);
        }
        await ProtectPlainSecretsAsync(connection, transaction, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    public async Task<IReadOnlyList<WebhookTarget>> ListAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await ReadTargetsAsync(connection, null, cancellationToken);
    }

    public async Task<WebhookTarget?> GetAsync(long id, CancellationToken cancellationToken) =>
        (await ListAsync(cancellationToken)).FirstOrDefault(t => t.Id == id);

    /// <summary>Creates an endpoint; null when the name is taken.</summary>
    public async Task<WebhookTarget?> CreateAsync(WebhookEndpointRequest request, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.Command("""
            INSERT INTO detection_webhooks (name, url, secret, headers_json, min_severity, series_filter, from_configuration, created_ms)
            VALUES (@name, @url, @secret, @headers, @severity, @filter, 0, @at)
            ON CONFLICT (name) DO NOTHING
            RETURNING id
            """)
            .With("@name", request.Name).With("@url", request.Url).With("@secret", Protect(request.Secret))
            .With("@headers", JsonSerializer.Serialize(request.Headers ?? [])).With("@severity", (int)request.MinSeverity)
            .With("@filter", request.SeriesFilter).With("@at", time.GetUtcNow().ToUnixMs());
        var id = await command.ExecuteScalarAsync(cancellationToken);
        return id is long created ? await GetAsync(created, cancellationToken) : null;
    }

    /// <summary>Replaces an API-created endpoint's settings (a null secret keeps the stored one); false when absent.</summary>
    public async Task<bool> UpdateAsync(long id, WebhookEndpointRequest request, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.Command("""
            UPDATE detection_webhooks SET name = @name, url = @url, secret = COALESCE(@secret, secret), headers_json = @headers,
                min_severity = @severity, series_filter = @filter
            WHERE id = @id AND from_configuration = 0
            """)
            .With("@id", id).With("@name", request.Name).With("@url", request.Url).With("@secret", Protect(request.Secret))
            .With("@headers", JsonSerializer.Serialize(request.Headers ?? [])).With("@severity", (int)request.MinSeverity)
            .With("@filter", request.SeriesFilter);
        return await command.ExecuteNonQueryAsync(cancellationToken) > 0;
    }

    /// <summary>Deletes the endpoint (its deliveries are the outbox's: <see cref="WebhookDeliveryStore.ForgetEndpointAsync"/>); false when absent.</summary>
    public async Task<bool> DeleteAsync(long id, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.Command("DELETE FROM detection_webhooks WHERE id = @id").With("@id", id);
        return await command.ExecuteNonQueryAsync(cancellationToken) > 0;
    }

    private async Task ProtectPlainSecretsAsync(DbConnection connection, DbTransaction transaction, CancellationToken cancellationToken)
    {
        var plain = new List<(long Id, string Secret)>();
        await using (var read = connection.Command(
            $"SELECT id, secret FROM detection_webhooks WHERE secret IS NOT NULL AND secret <> '' AND secret NOT LIKE '{ProtectedPrefix}%'", transaction))
        await using (var reader = await read.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                plain.Add((reader.GetInt64(0), reader.GetString(1)));
            }
        }
        foreach (var (id, secret) in plain)
        {
            await using var update = connection.Command("UPDATE detection_webhooks SET secret = @secret WHERE id = @id", transaction)
                .With("@id", id).With("@secret", Protect(secret));
            await update.ExecuteNonQueryAsync(cancellationToken);
        }
    }

    private string? Protect(string? secret) => string.IsNullOrEmpty(secret) ? secret : ProtectedPrefix + secrets.Protect(secret);

    /// <summary>The stored secret in clear, or why it cannot be read (the Data Protection keys that protected it are gone).</summary>
    private (string? Secret, string? Problem) Unprotect(string? stored)
    {
        if (stored is null || !stored.StartsWith(ProtectedPrefix, StringComparison.Ordinal))
        {
            return (stored, null);
        }
        try
        {
            return (secrets.Unprotect(stored[ProtectedPrefix.Length..]), null);
        }
        catch (CryptographicException)
        {
            return (null, "The signing secret cannot be read: the Data Protection keys that protected it (Dashboard:KeysPath) are gone or changed; "
                + "set the secret again. Nothing is sent to this endpoint until then.");
        }
    }

    private async Task<IReadOnlyList<WebhookTarget>> ReadTargetsAsync(DbConnection connection, DbTransaction? transaction, CancellationToken cancellationToken)
    {
        await using var command = connection.Command($"SELECT {Columns} FROM detection_webhooks ORDER BY id", transaction);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var targets = new List<WebhookTarget>();
        while (await reader.ReadAsync(cancellationToken))
        {
            var (secret, problem) = Unprotect(reader.NullableString(4));
            targets.Add(new WebhookTarget(
                reader.GetInt64(0), reader.GetString(1), reader.GetString(2),
                JsonSerializer.Deserialize<Dictionary<string, string>>(reader.GetString(3)) ?? [],
                secret, (AnomalySeverity)reader.GetInt64(5), reader.NullableString(6), reader.GetInt64(7) != 0, problem));
        }
        return targets;
    }
}
