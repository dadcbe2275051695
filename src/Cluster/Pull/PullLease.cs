using Npgsql;

namespace MetaAnomaly.Cluster.Pull;

/// <summary>
/// Which activation of a pull reads (<c>metaanomaly_pull_leases</c>): held while renewed within <paramref name="duration"/>,
/// taken by another holder only once expired, so that a node declared dead while it still runs (or an activation
/// doubled for a moment) does not read beside the new one. PostgreSQL's clock decides expiry.
/// </summary>
internal sealed class PullLease(NpgsqlDataSource database, string pull, string holder, TimeSpan duration)
{
    /// <summary>Takes or renews the lease; false while another holder's has not expired.</summary>
    public async Task<bool> TryHoldAsync(CancellationToken cancellationToken)
    {
        await using var command = database.CreateCommand("""
            INSERT INTO metaanomaly_pull_leases (pull, holder, expires) VALUES (@pull, @holder, now() + @duration)
            ON CONFLICT (pull) DO UPDATE SET holder = excluded.holder, expires = excluded.expires
            WHERE metaanomaly_pull_leases.holder = excluded.holder OR metaanomaly_pull_leases.expires < now()
            RETURNING holder
            """);
        command.Parameters.AddWithValue("pull", pull);
        command.Parameters.AddWithValue("holder", holder);
        command.Parameters.AddWithValue("duration", duration);
        return await command.ExecuteScalarAsync(cancellationToken) is string;
    }

    /// <summary>Gives the lease up (a graceful deactivation), so that the next activation reads at once.</summary>
    public async Task ReleaseAsync(CancellationToken cancellationToken)
    {
        await using var command = database.CreateCommand("DELETE FROM metaanomaly_pull_leases WHERE pull = @pull AND holder = @holder");
        command.Parameters.AddWithValue("pull", pull);
        command.Parameters.AddWithValue("holder", holder);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
