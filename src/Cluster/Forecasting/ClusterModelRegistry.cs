using MetaAnomaly.Cluster.Configuration;
using MetaAnomaly.Forecasting.Learners.Selection;
using MetaAnomaly.Forecasting.Registry;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;

namespace MetaAnomaly.Cluster.Forecasting;

/// <summary>
/// The cluster's model registry in PostgreSQL (<c>metaanomaly_models</c>, weights included), read and written by every
/// node: a version one node stores is served by all, and a cluster is meta-trained by one node at a time under a
/// session advisory lock on its id (released with the connection when that node dies). The data source is resolved
/// at first use: the registry is built with the forecasting read model that the metrics read when the endpoints are
/// mapped, before the options are validated at start (a bad <c>Cluster:PostgreSql</c> then exits 78 naming it).
/// </summary>
internal sealed partial class ClusterModelRegistry(Lazy<NpgsqlDataSource> source, IOptions<ClusterOptions> options, TimeProvider clock, ILogger<ClusterModelRegistry> logger)
    : IModelRegistry
{
    private const int VersionsKept = 2;

    private NpgsqlDataSource Database => source.Value;

    public bool Shared => true;

    public async Task<IReadOnlyList<ModelRecord>> CurrentAsync(CancellationToken cancellationToken)
    {
        await using var command = Database.CreateCommand("""
            SELECT DISTINCT ON (cluster_id) cluster_id, version, learner, layout, data_from, data_to, validation_error, created_at
            FROM metaanomaly_models ORDER BY cluster_id, version DESC
            """);
        var records = new List<ModelRecord>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var cluster = reader.GetString(0);
            var version = reader.GetInt32(1);
            records.Add(new ModelRecord(cluster, version, reader.GetString(2), reader.GetString(3),
                reader.IsDBNull(4) ? null : reader.GetFieldValue<DateTimeOffset>(4), reader.IsDBNull(5) ? null : reader.GetFieldValue<DateTimeOffset>(5),
                reader.GetDouble(6), reader.GetFieldValue<DateTimeOffset>(7), Location(cluster, version)));
        }
        return records;
    }

    public async Task<ModelRecord> SaveAsync(string clusterId, string learner, string layout, DateTimeOffset? dataFrom, DateTimeOffset? dataTo,
        double validationError, byte[] state, CancellationToken cancellationToken)
    {
        var created = clock.GetUtcNow();
        await using var connection = await Database.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using var insert = new NpgsqlCommand("""
            INSERT INTO metaanomaly_models (cluster_id, version, learner, layout, data_from, data_to, validation_error, created_at, node, state)
            SELECT @cluster, COALESCE(MAX(version), 0) + 1, @learner, @layout, @from, @to, @error, @created, @node, @state
            FROM metaanomaly_models WHERE cluster_id = @cluster
            RETURNING version
            """, connection, transaction);
        insert.Parameters.Add(new NpgsqlParameter<string>("cluster", clusterId));
        insert.Parameters.Add(new NpgsqlParameter<string>("learner", learner));
        insert.Parameters.Add(new NpgsqlParameter<string>("layout", layout));
        insert.Parameters.Add(new NpgsqlParameter("from", (object?)dataFrom?.ToUniversalTime() ?? DBNull.Value) { NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.TimestampTz });
        insert.Parameters.Add(new NpgsqlParameter("to", (object?)dataTo?.ToUniversalTime() ?? DBNull.Value) { NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.TimestampTz });
        insert.Parameters.Add(new NpgsqlParameter<double>("error", double.IsFinite(validationError) ? validationError : -1));
        insert.Parameters.Add(new NpgsqlParameter<DateTimeOffset>("created", created.ToUniversalTime()));
        insert.Parameters.Add(new NpgsqlParameter<string>("node", options.Value.ResolvedNodeName));
        insert.Parameters.Add(new NpgsqlParameter<byte[]>("state", state));
        var version = (int)(await insert.ExecuteScalarAsync(cancellationToken))!;
        await using (var prune = new NpgsqlCommand("""
            DELETE FROM metaanomaly_models WHERE cluster_id = @cluster AND version <= @oldest;
            DELETE FROM metaanomaly_model_candidates WHERE cluster_id = @cluster AND version <= @oldest;
            """, connection, transaction))
        {
            prune.Parameters.Add(new NpgsqlParameter<string>("cluster", clusterId));
            prune.Parameters.Add(new NpgsqlParameter<int>("oldest", version - VersionsKept));
            await prune.ExecuteNonQueryAsync(cancellationToken);
        }
        await transaction.CommitAsync(cancellationToken);
        LogStored(learner, version, clusterId, validationError);
        return new ModelRecord(clusterId, version, learner, layout, dataFrom, dataTo, validationError, created, Location(clusterId, version));
    }

    public async Task SaveCandidatesAsync(ModelRecord record, IReadOnlyList<CandidateScore> candidates, CancellationToken cancellationToken)
    {
        foreach (var candidate in candidates)
        {
            await using var insert = Database.CreateCommand("""
                INSERT INTO metaanomaly_model_candidates (cluster_id, version, learner, validation_error, training_steps, duration_seconds, failure)
                VALUES (@cluster, @version, @learner, @error, @steps, @seconds, @failure)
                ON CONFLICT (cluster_id, version, learner) DO UPDATE SET validation_error = excluded.validation_error,
                    training_steps = excluded.training_steps, duration_seconds = excluded.duration_seconds, failure = excluded.failure
                """);
            insert.Parameters.Add(new NpgsqlParameter<string>("cluster", record.ClusterId));
            insert.Parameters.Add(new NpgsqlParameter<int>("version", record.Version));
            insert.Parameters.Add(new NpgsqlParameter<string>("learner", candidate.Learner));
            insert.Parameters.Add(new NpgsqlParameter("error", (object?)candidate.ValidationError ?? DBNull.Value) { NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Double });
            insert.Parameters.Add(new NpgsqlParameter<int>("steps", candidate.TrainingSteps));
            insert.Parameters.Add(new NpgsqlParameter<double>("seconds", candidate.Duration.TotalSeconds));
            insert.Parameters.Add(new NpgsqlParameter("failure", (object?)candidate.Failure ?? DBNull.Value) { NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text });
            await insert.ExecuteNonQueryAsync(cancellationToken);
        }
    }

    public async Task<byte[]?> TryReadStateAsync(ModelRecord record, CancellationToken cancellationToken)
    {
        await using var command = Database.CreateCommand("SELECT state FROM metaanomaly_models WHERE cluster_id = @cluster AND version = @version");
        command.Parameters.Add(new NpgsqlParameter<string>("cluster", record.ClusterId));
        command.Parameters.Add(new NpgsqlParameter<int>("version", record.Version));
        if (await command.ExecuteScalarAsync(cancellationToken) is byte[] state)
        {
            return state;
        }
        LogMissing(record.Version, record.ClusterId);
        return null;
    }

    public async Task<IAsyncDisposable> LeaseAsync(string clusterId, CancellationToken cancellationToken)
    {
        var connection = await Database.OpenConnectionAsync(cancellationToken);
        try
        {
            await using var take = new NpgsqlCommand("SELECT pg_advisory_lock(hashtextextended(@name, 0))", connection);
            take.Parameters.Add(new NpgsqlParameter<string>("name", LeaseName(clusterId)));
            await take.ExecuteNonQueryAsync(cancellationToken);
            return new Lease(connection, LeaseName(clusterId));
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    private static string LeaseName(string clusterId) => "metaanomaly-model:" + clusterId;

    private static string Location(string clusterId, int version) => $"postgresql:metaanomaly_models/{clusterId}/v{version}";

    /// <summary>The advisory lock of one cluster, held by its own connection until disposed.</summary>
    private sealed class Lease(NpgsqlConnection connection, string name) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            try
            {
                await using var release = new NpgsqlCommand("SELECT pg_advisory_unlock(hashtextextended(@name, 0))", connection);
                release.Parameters.Add(new NpgsqlParameter<string>("name", name));
                await release.ExecuteNonQueryAsync(CancellationToken.None);
            }
            finally
            {
                await connection.DisposeAsync();
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Stored {Learner} model version {Version} of cluster {Cluster} in the cluster registry (validation error {Error:G4})")]
    private partial void LogStored(string learner, int version, string cluster, double error);

    [LoggerMessage(Level = LogLevel.Error, Message = "Model version {Version} of cluster {Cluster} is no longer in the cluster registry")]
    private partial void LogMissing(int version, string cluster);
}
