using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Hosting;
using Npgsql;

namespace MetaAnomaly.Cluster.Security;

/// <summary>
/// At start, loads the shared key ring one node at a time (an advisory lock): the first node of a new cluster creates
/// its key, and nodes starting with it find that key instead of each creating one that the others' cached rings lack.
/// </summary>
internal sealed class SharedKeyRingStart(NpgsqlDataSource database, IDataProtectionProvider protection) : IHostedService
{
    private const long AdvisoryLockKey = 0x4d65_7461_4b65_7973;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        await using (var take = new NpgsqlCommand($"SELECT pg_advisory_lock({AdvisoryLockKey})", connection))
        {
            await take.ExecuteNonQueryAsync(cancellationToken);
        }
        try
        {
            protection.CreateProtector(nameof(SharedKeyRingStart)).Protect([0]);
        }
        finally
        {
            await using var release = new NpgsqlCommand($"SELECT pg_advisory_unlock({AdvisoryLockKey})", connection);
            await release.ExecuteNonQueryAsync(CancellationToken.None);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
