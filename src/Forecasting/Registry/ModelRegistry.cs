using System.Data.Common;
using System.Globalization;
using MetaAnomaly.Forecasting.Extensions;
using MetaAnomaly.Forecasting.Learners.Selection;
using MetaAnomaly.Shared.Storage;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace MetaAnomaly.Forecasting.Registry;

/// <summary>
/// Each cluster's meta-initialisations: metadata in the state database (table <c>forecasting_models</c>), weights as
/// files under <c>Forecasting:ModelDirectory</c>. Saving a version keeps the previous one (older ones are deleted);
/// the latest version is current.
/// </summary>
public sealed class ModelRegistry(
    IStateDatabase database,
    IOptions<ForecastingOptions> options,
    TimeProvider clock,
    ILogger<ModelRegistry> logger) : IModelRegistry
{
    public const string MigrationId = "forecasting-0001-models";

    public static SchemaMigration Migration { get; } = new(MigrationId, """
        CREATE TABLE IF NOT EXISTS forecasting_models (
            cluster_id TEXT NOT NULL,
            version INTEGER NOT NULL,
            learner TEXT NOT NULL,
            layout TEXT NOT NULL,
            data_from TEXT NULL,
            data_to TEXT NULL,
            validation_error REAL NOT NULL,
            created_at TEXT NOT NULL,
            file TEXT NOT NULL,
            PRIMARY KEY (cluster_id, version));
        """);

    public const string CandidatesMigrationId = "forecasting-0002-model-candidates";

    /// <summary>Every candidate's score when a cluster's learner was chosen automatically (one row per candidate).</summary>
    public static SchemaMigration CandidatesMigration { get; } = new(CandidatesMigrationId, """
        CREATE TABLE IF NOT EXISTS forecasting_model_candidates (
            cluster_id TEXT NOT NULL,
            version INTEGER NOT NULL,
            learner TEXT NOT NULL,
            validation_error REAL NULL,
            training_steps INTEGER NOT NULL,
            duration_seconds REAL NOT NULL,
            failure TEXT NULL,
            PRIMARY KEY (cluster_id, version, learner));
        """);

    private const int VersionsKept = 2;

    private string Directory => Path.GetFullPath(options.Value.ModelDirectory);

    /// <summary>Only this node writes it.</summary>
    public bool Shared => false;

    /// <summary>Granted at once: no other node trains into this registry.</summary>
    public Task<IAsyncDisposable> LeaseAsync(string clusterId, CancellationToken cancellationToken) => Task.FromResult<IAsyncDisposable>(Unleased.Instance);

    /// <summary>The current (latest) version of every cluster.</summary>
    public async Task<IReadOnlyList<ModelRecord>> CurrentAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await QueryAsync(connection, """
            SELECT * FROM forecasting_models m
            WHERE version = (SELECT MAX(version) FROM forecasting_models WHERE cluster_id = m.cluster_id)
            ORDER BY cluster_id
            """, [], cancellationToken);
    }

    /// <summary>Every kept version of a cluster, newest first.</summary>
    public async Task<IReadOnlyList<ModelRecord>> VersionsAsync(string clusterId, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await QueryAsync(connection, "SELECT * FROM forecasting_models WHERE cluster_id = $cluster ORDER BY version DESC",
            [("$cluster", clusterId)], cancellationToken);
    }

    /// <summary>Writes the weights file, then records it as the cluster's new current version.</summary>
    public async Task<ModelRecord> SaveAsync(
        string clusterId, string learner, string layout, DateTimeOffset? dataFrom, DateTimeOffset? dataTo,
        double validationError, byte[] state, CancellationToken cancellationToken)
    {
        var versions = await VersionsAsync(clusterId, cancellationToken);
        var version = versions.Count == 0 ? 1 : versions[0].Version + 1;
        var file = Path.Combine(SafeName(clusterId), $"v{version}-{SafeName(learner)}.bin");
        var path = Path.Combine(Directory, file);
        System.IO.Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var temporary = path + ".tmp";
        await File.WriteAllBytesAsync(temporary, state, cancellationToken);
        File.Move(temporary, path, overwrite: true);
        var record = new ModelRecord(clusterId, version, learner, layout, dataFrom, dataTo, validationError, clock.GetUtcNow(), file);
        await using var connection = await database.OpenAsync(cancellationToken);
        await using (var insert = connection.CreateCommand())
        {
            insert.CommandText = """
                INSERT INTO forecasting_models (cluster_id, version, learner, layout, data_from, data_to, validation_error, created_at, file)
                VALUES ($cluster, $version, $learner, $layout, $from, $to, $error, $created, $file)
                """;
            Add(insert, "$cluster", clusterId);
            Add(insert, "$version", version);
            Add(insert, "$learner", learner);
            Add(insert, "$layout", layout);
            Add(insert, "$from", dataFrom?.ToString("O", CultureInfo.InvariantCulture));
            Add(insert, "$to", dataTo?.ToString("O", CultureInfo.InvariantCulture));
            Add(insert, "$error", double.IsFinite(validationError) ? validationError : -1);
            Add(insert, "$created", record.CreatedAt.ToString("O", CultureInfo.InvariantCulture));
            Add(insert, "$file", file);
            await insert.ExecuteNonQueryAsync(cancellationToken);
        }
        foreach (var old in versions.Skip(VersionsKept - 1))
        {
            await using var delete = connection.CreateCommand();
            delete.CommandText = "DELETE FROM forecasting_models WHERE cluster_id = $cluster AND version = $version";
            Add(delete, "$cluster", clusterId);
            Add(delete, "$version", old.Version);
            await delete.ExecuteNonQueryAsync(cancellationToken);
            delete.CommandText = "DELETE FROM forecasting_model_candidates WHERE cluster_id = $cluster AND version = $version";
            await delete.ExecuteNonQueryAsync(cancellationToken);
            TryDelete(Path.Combine(Directory, old.File));
        }
        logger.LogInformation("Stored {Learner} model version {Version} of cluster {Cluster} (validation error {Error:G4})", learner, version, clusterId, validationError);
        return record;
    }

    /// <summary>Records the score of every candidate compared when the learner of <paramref name="record"/> was chosen.</summary>
    public async Task SaveCandidatesAsync(ModelRecord record, IReadOnlyList<CandidateScore> candidates, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        foreach (var candidate in candidates)
        {
            await using var insert = connection.CreateCommand();
            insert.CommandText = """
                INSERT OR REPLACE INTO forecasting_model_candidates (cluster_id, version, learner, validation_error, training_steps, duration_seconds, failure)
                VALUES ($cluster, $version, $learner, $error, $steps, $seconds, $failure)
                """;
            Add(insert, "$cluster", record.ClusterId);
            Add(insert, "$version", record.Version);
            Add(insert, "$learner", candidate.Learner);
            Add(insert, "$error", candidate.ValidationError);
            Add(insert, "$steps", candidate.TrainingSteps);
            Add(insert, "$seconds", candidate.Duration.TotalSeconds);
            Add(insert, "$failure", candidate.Failure);
            await insert.ExecuteNonQueryAsync(cancellationToken);
        }
    }

    /// <summary>The candidates compared for a version (empty when its learner was configured, not chosen).</summary>
    public async Task<IReadOnlyList<CandidateScore>> CandidatesAsync(string clusterId, int version, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT * FROM forecasting_model_candidates WHERE cluster_id = $cluster AND version = $version ORDER BY validation_error IS NULL, validation_error";
        Add(command, "$cluster", clusterId);
        Add(command, "$version", version);
        var candidates = new List<CandidateScore>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var error = reader.GetOrdinal("validation_error");
            var failure = reader.GetOrdinal("failure");
            candidates.Add(new CandidateScore(
                reader.GetString(reader.GetOrdinal("learner")),
                reader.IsDBNull(error) ? null : Convert.ToDouble(reader.GetValue(error), CultureInfo.InvariantCulture),
                Convert.ToInt32(reader.GetValue(reader.GetOrdinal("training_steps")), CultureInfo.InvariantCulture),
                TimeSpan.FromSeconds(Convert.ToDouble(reader.GetValue(reader.GetOrdinal("duration_seconds")), CultureInfo.InvariantCulture)),
                reader.IsDBNull(failure) ? null : reader.GetString(failure)));
        }
        return candidates;
    }

    /// <summary>The weights of a version, or null (logged) when the file is missing or unreadable.</summary>
    public async Task<byte[]?> TryReadStateAsync(ModelRecord record, CancellationToken cancellationToken)
    {
        var path = Path.Combine(Directory, record.File);
        try
        {
            return await File.ReadAllBytesAsync(path, cancellationToken);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            logger.LogError(e, "Model version {Version} of cluster {Cluster} cannot be read from {Path}", record.Version, record.ClusterId, path);
            return null;
        }
    }

    private static async Task<IReadOnlyList<ModelRecord>> QueryAsync(DbConnection connection, string sql, (string Name, object Value)[] parameters, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            Add(command, name, value);
        }
        var records = new List<ModelRecord>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            records.Add(new ModelRecord(
                reader.GetString(reader.GetOrdinal("cluster_id")),
                Convert.ToInt32(reader.GetValue(reader.GetOrdinal("version")), CultureInfo.InvariantCulture),
                reader.GetString(reader.GetOrdinal("learner")),
                reader.GetString(reader.GetOrdinal("layout")),
                Time(reader, "data_from"),
                Time(reader, "data_to"),
                Convert.ToDouble(reader.GetValue(reader.GetOrdinal("validation_error")), CultureInfo.InvariantCulture),
                Time(reader, "created_at") ?? DateTimeOffset.MinValue,
                reader.GetString(reader.GetOrdinal("file"))));
        }
        return records;
    }

    private static DateTimeOffset? Time(DbDataReader reader, string column)
    {
        var ordinal = reader.GetOrdinal(column);
        return reader.IsDBNull(ordinal) ? null : DateTimeOffset.Parse(reader.GetString(ordinal), CultureInfo.InvariantCulture);
    }

    private static void Add(DbCommand command, string name, object? value)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.Value = value ?? DBNull.Value;
        command.Parameters.Add(parameter);
    }

    private void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (IOException e)
        {
            logger.LogWarning(e, "Could not delete the old model file {Path}", path);
        }
    }

    private sealed class Unleased : IAsyncDisposable
    {
        public static readonly Unleased Instance = new();

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }

    private static string SafeName(string name) => string.Concat(name.Select(c => char.IsLetterOrDigit(c) || c is '-' or '_' ? c : '_'));
}
