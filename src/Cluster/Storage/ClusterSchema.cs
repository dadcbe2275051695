using MetaAnomaly.Cluster.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;

namespace MetaAnomaly.Cluster.Storage;

/// <summary>
/// Before the silo joins, applies the embedded scripts (<c>Storage/Schema/*.sql</c>: Orleans' PostgreSQL clustering
/// tables as of 10.4.2, then MetaAnomaly's) that the database has not recorded yet, one node at a time (an advisory
/// lock), and checks that <c>Cluster:Shards</c> is the count the cluster was created with.
/// </summary>
internal sealed partial class ClusterSchema(NpgsqlDataSource database, IOptions<ClusterOptions> options, ILogger<ClusterSchema> logger) : IHostedService
{
    private const long AdvisoryLockKey = 0x4d65_7461_416e_6f6d;
    private const string ScriptPrefix = "MetaAnomaly.Cluster.Schema.";

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        await ExecuteAsync(connection, $"SELECT pg_advisory_lock({AdvisoryLockKey})", cancellationToken);
        try
        {
            await ExecuteAsync(connection, "CREATE TABLE IF NOT EXISTS metaanomaly_cluster_scripts (name text PRIMARY KEY, applied timestamptz NOT NULL DEFAULT now())", cancellationToken);
            var applied = new HashSet<string>(StringComparer.Ordinal);
            await using (var read = new NpgsqlCommand("SELECT name FROM metaanomaly_cluster_scripts", connection))
            await using (var reader = await read.ExecuteReaderAsync(cancellationToken))
            {
                while (await reader.ReadAsync(cancellationToken))
                {
                    applied.Add(reader.GetString(0));
                }
            }
            var assembly = typeof(ClusterSchema).Assembly;
            foreach (var resource in assembly.GetManifestResourceNames().Where(n => n.StartsWith(ScriptPrefix, StringComparison.Ordinal)).Order(StringComparer.Ordinal))
            {
                var name = resource[ScriptPrefix.Length..];
                if (applied.Contains(name))
                {
                    continue;
                }
                using var text = new StreamReader(assembly.GetManifestResourceStream(resource)!);
                await ExecuteAsync(connection, await text.ReadToEndAsync(cancellationToken), cancellationToken);
                await using var record = new NpgsqlCommand("INSERT INTO metaanomaly_cluster_scripts (name) VALUES (@name)", connection);
                record.Parameters.AddWithValue("name", name);
                await record.ExecuteNonQueryAsync(cancellationToken);
                LogApplied(name);
            }
            await CheckShardCountAsync(connection, options.Value.Shards, cancellationToken);
        }
        finally
        {
            await ExecuteAsync(connection, $"SELECT pg_advisory_unlock({AdvisoryLockKey})", CancellationToken.None);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private static async Task CheckShardCountAsync(NpgsqlConnection connection, int shards, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("""
            INSERT INTO metaanomaly_cluster (id, shards) VALUES (1, @shards) ON CONFLICT (id) DO NOTHING;
            SELECT shards FROM metaanomaly_cluster WHERE id = 1;
            """, connection);
        command.Parameters.AddWithValue("shards", shards);
        var created = (int)(await command.ExecuteScalarAsync(cancellationToken))!;
        if (created != shards)
        {
            throw new OptionsValidationException(ClusterOptions.Section, typeof(ClusterOptions),
                [$"Cluster:Shards is {shards}, but the cluster in Cluster:PostgreSql was created with {created} shards: its stored points are found only with {created}."]);
        }
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Cluster database: applied {Script}")]
    private partial void LogApplied(string script);
}
