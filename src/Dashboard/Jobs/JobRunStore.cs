using System.Data.Common;
using System.Globalization;
using MetaAnomaly.Shared.Storage;

namespace MetaAnomaly.Dashboard.Jobs;

/// <summary>
/// Keeps job runs in the state database (table <c>dashboard_job_runs</c>), the last 200 per job. A run is written when
/// it starts and completed when it ends, so a run that the process did not live to finish (kill -9, a crash, a power
/// cut) is still in the history: the first use of the store after the restart marks it failed, interrupted.
/// </summary>
public sealed class JobRunStore : IJobRunHistory
{
    public const string InterruptedError = "Interrupted: the process ended during this run (killed or crashed); its duration is unknown.";

    private const int KeptPerJob = 200;

    private readonly IStateDatabase _database;
    private readonly Lazy<Task> _interruptedMarked;

    public JobRunStore(IStateDatabase database)
    {
        _database = database;
        _interruptedMarked = new(MarkInterruptedAsync);
    }

    public async ValueTask StartedAsync(string fireId, string group, string name, string? trigger, DateTimeOffset startedAt, CancellationToken cancellationToken)
    {
        await _interruptedMarked.Value;
        await using var connection = await _database.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = """
            INSERT INTO dashboard_job_runs (job_group, job_name, trigger_name, started_at, duration_ms, succeeded, fire_id, finished)
            VALUES ($group, $name, $trigger, $started, 0, 0, $fire, 0)
            """;
        Add(command, "$group", group);
        Add(command, "$name", name);
        Add(command, "$trigger", trigger);
        Add(command, "$started", Stamp(startedAt));
        Add(command, "$fire", fireId);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async ValueTask RecordAsync(JobRun run, string fireId, CancellationToken cancellationToken)
    {
        await _interruptedMarked.Value;
        await using var connection = await _database.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = """
            UPDATE dashboard_job_runs SET duration_ms = $duration, succeeded = $succeeded, result = $result, error = $error, finished = 1
            WHERE fire_id = $fire AND finished = 0;
            INSERT INTO dashboard_job_runs (job_group, job_name, trigger_name, started_at, duration_ms, succeeded, result, error, fire_id, finished)
            SELECT $group, $name, $trigger, $started, $duration, $succeeded, $result, $error, $fire, 1 WHERE changes() = 0;
            DELETE FROM dashboard_job_runs WHERE job_group = $group AND job_name = $name AND id NOT IN (
                SELECT id FROM dashboard_job_runs WHERE job_group = $group AND job_name = $name ORDER BY started_at DESC LIMIT $kept);
            """;
        Add(command, "$group", run.Group);
        Add(command, "$name", run.Name);
        Add(command, "$trigger", run.Trigger);
        Add(command, "$started", Stamp(run.StartedAt));
        Add(command, "$duration", (long)run.Duration.TotalMilliseconds);
        Add(command, "$succeeded", run.Succeeded ? 1 : 0);
        Add(command, "$result", run.Result);
        Add(command, "$error", run.Error);
        Add(command, "$fire", fireId);
        Add(command, "$kept", KeptPerJob);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async ValueTask<IReadOnlyList<JobRun>> RecentAsync(string? group, string? name, int count, CancellationToken cancellationToken)
    {
        await _interruptedMarked.Value;
        await using var connection = await _database.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = """
            SELECT job_group, job_name, trigger_name, started_at, duration_ms, succeeded, result, error FROM dashboard_job_runs
            WHERE finished = 1 AND ($group IS NULL OR job_group = $group) AND ($name IS NULL OR job_name = $name)
            ORDER BY started_at DESC LIMIT $count
            """;
        Add(command, "$group", group);
        Add(command, "$name", name);
        Add(command, "$count", count);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var runs = new List<JobRun>();
        while (await reader.ReadAsync(cancellationToken))
        {
            runs.Add(new JobRun(
                reader.GetString(0), reader.GetString(1), reader.IsDBNull(2) ? null : reader.GetString(2),
                DateTimeOffset.Parse(reader.GetString(3), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal),
                TimeSpan.FromMilliseconds(reader.GetInt64(4)), reader.GetInt64(5) == 1,
                reader.IsDBNull(6) ? null : reader.GetString(6), reader.IsDBNull(7) ? null : reader.GetString(7)));
        }
        return runs;
    }

    /// <summary>Runs left unfinished by an earlier process (one process owns a state database) become failed, interrupted.</summary>
    private async Task MarkInterruptedAsync()
    {
        await using var connection = await _database.OpenAsync(CancellationToken.None);
        await using var command = connection.CreateCommand();
        command.CommandText = "UPDATE dashboard_job_runs SET finished = 1, succeeded = 0, error = $error WHERE finished = 0";
        Add(command, "$error", InterruptedError);
        await command.ExecuteNonQueryAsync(CancellationToken.None);
    }

    private static string Stamp(DateTimeOffset time) => time.UtcDateTime.ToString("O", CultureInfo.InvariantCulture);

    private static void Add(DbCommand command, string name, object? value)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.Value = value ?? DBNull.Value;
        command.Parameters.Add(parameter);
    }
}
