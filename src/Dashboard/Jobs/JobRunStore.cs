using System.Data.Common;
using System.Globalization;
using MetaAnomaly.Shared.Storage;

namespace MetaAnomaly.Dashboard.Jobs;

/// <summary>Keeps finished job runs in the state database (table <c>dashboard_job_runs</c>), the last 200 per job.</summary>
public sealed class JobRunStore(IStateDatabase database)
{
    private const int KeptPerJob = 200;

    public async ValueTask RecordAsync(JobRun run, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = """
            INSERT INTO dashboard_job_runs (job_group, job_name, trigger_name, started_at, duration_ms, succeeded, result, error)
            VALUES ($group, $name, $trigger, $started, $duration, $succeeded, $result, $error);
            DELETE FROM dashboard_job_runs WHERE job_group = $group AND job_name = $name AND id NOT IN (
                SELECT id FROM dashboard_job_runs WHERE job_group = $group AND job_name = $name ORDER BY started_at DESC LIMIT $kept);
            """;
        Add(command, "$group", run.Group);
        Add(command, "$name", run.Name);
        Add(command, "$trigger", run.Trigger);
        Add(command, "$started", run.StartedAt.UtcDateTime.ToString("O", CultureInfo.InvariantCulture));
        Add(command, "$duration", (long)run.Duration.TotalMilliseconds);
        Add(command, "$succeeded", run.Succeeded ? 1 : 0);
        Add(command, "$result", run.Result);
        Add(command, "$error", run.Error);
        Add(command, "$kept", KeptPerJob);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>The latest runs, newest first; of one job when <paramref name="group"/> and <paramref name="name"/> are given.</summary>
    public async ValueTask<IReadOnlyList<JobRun>> RecentAsync(string? group, string? name, int count, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = """
            SELECT job_group, job_name, trigger_name, started_at, duration_ms, succeeded, result, error FROM dashboard_job_runs
            WHERE ($group IS NULL OR job_group = $group) AND ($name IS NULL OR job_name = $name)
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

    private static void Add(DbCommand command, string name, object? value)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.Value = value ?? DBNull.Value;
        command.Parameters.Add(parameter);
    }
}
