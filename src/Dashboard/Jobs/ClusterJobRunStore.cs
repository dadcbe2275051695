using System.Data.Common;
using MetaAnomaly.Shared.Storage;

namespace MetaAnomaly.Dashboard.Jobs;

/// <summary>
/// Every node's job runs in the cluster's database (<c>metaanomaly_job_runs</c>), each with its node, the last 200 per
/// job in the cluster. As on a single node a run is written when it starts and completed when it ends; the first use
/// after a node's restart marks that node's unfinished runs failed, interrupted (never another node's).
/// </summary>
public sealed class ClusterJobRunStore : IJobRunHistory
{
    private const int KeptPerJob = 200;

    private readonly IClusterStateDatabase _database;
    private readonly Lazy<Task> _interruptedMarked;

    public ClusterJobRunStore(IClusterStateDatabase database)
    {
        _database = database;
        _interruptedMarked = new(MarkInterruptedAsync);
    }

    public async ValueTask StartedAsync(string fireId, string group, string name, string? trigger, DateTimeOffset startedAt, CancellationToken cancellationToken)
    {
        await _interruptedMarked.Value;
        await using var connection = await _database.OpenAsync(cancellationToken);
        await using var command = Command(connection, """
            INSERT INTO metaanomaly_job_runs (node, fire_id, job_group, job_name, trigger_name, started_at)
            VALUES (@node, @fire, @group, @name, @trigger, @started) ON CONFLICT (node, fire_id) DO NOTHING
            """, ("@node", _database.NodeName), ("@fire", fireId), ("@group", group), ("@name", name), ("@trigger", trigger), ("@started", startedAt.ToUniversalTime()));
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async ValueTask RecordAsync(JobRun run, string fireId, CancellationToken cancellationToken)
    {
        await _interruptedMarked.Value;
        await using var connection = await _database.OpenAsync(cancellationToken);
        await using var command = Command(connection, """
            INSERT INTO metaanomaly_job_runs (node, fire_id, job_group, job_name, trigger_name, started_at, duration_ms, succeeded, result, error, finished)
            VALUES (@node, @fire, @group, @name, @trigger, @started, @duration, @succeeded, @result, @error, true)
            ON CONFLICT (node, fire_id) DO UPDATE SET duration_ms = excluded.duration_ms, succeeded = excluded.succeeded,
                result = excluded.result, error = excluded.error, finished = true;
            DELETE FROM metaanomaly_job_runs WHERE job_group = @group AND job_name = @name AND id NOT IN (
                SELECT id FROM metaanomaly_job_runs WHERE job_group = @group AND job_name = @name ORDER BY started_at DESC LIMIT @kept)
            """, ("@node", _database.NodeName), ("@fire", fireId), ("@group", run.Group), ("@name", run.Name), ("@trigger", run.Trigger),
            ("@started", run.StartedAt.ToUniversalTime()), ("@duration", (long)run.Duration.TotalMilliseconds), ("@succeeded", run.Succeeded),
            ("@result", run.Result), ("@error", run.Error), ("@kept", KeptPerJob));
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async ValueTask<IReadOnlyList<JobRun>> RecentAsync(string? group, string? name, int count, CancellationToken cancellationToken)
    {
        await _interruptedMarked.Value;
        await using var connection = await _database.OpenAsync(cancellationToken);
        var ofJob = group is not null && name is not null;
        await using var command = Command(connection, $"""
            SELECT job_group, job_name, trigger_name, started_at, duration_ms, succeeded, result, error, node FROM metaanomaly_job_runs
            WHERE finished {(ofJob ? "AND job_group = @group AND job_name = @name" : "")} ORDER BY started_at DESC LIMIT @count
            """, ofJob ? [("@group", group), ("@name", name), ("@count", count)] : [("@count", count)]);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var runs = new List<JobRun>();
        while (await reader.ReadAsync(cancellationToken))
        {
            runs.Add(new JobRun(
                reader.GetString(0), reader.GetString(1), reader.IsDBNull(2) ? null : reader.GetString(2),
                reader.GetFieldValue<DateTimeOffset>(3), TimeSpan.FromMilliseconds(reader.GetInt64(4)), reader.GetBoolean(5),
                reader.IsDBNull(6) ? null : reader.GetString(6), reader.IsDBNull(7) ? null : reader.GetString(7), reader.GetString(8)));
        }
        return runs;
    }

    private async Task MarkInterruptedAsync()
    {
        await using var connection = await _database.OpenAsync(CancellationToken.None);
        await using var command = Command(connection, "UPDATE metaanomaly_job_runs SET finished = true, succeeded = false, error = @error WHERE node = @node AND NOT finished",
            ("@error", JobRunStore.InterruptedError), ("@node", _database.NodeName));
        await command.ExecuteNonQueryAsync(CancellationToken.None);
    }

    private static DbCommand Command(DbConnection connection, string sql, params (string Name, object? Value)[] parameters)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            var parameter = command.CreateParameter();
            parameter.ParameterName = name;
            parameter.Value = value ?? DBNull.Value;
            command.Parameters.Add(parameter);
        }
        return command;
    }
}
