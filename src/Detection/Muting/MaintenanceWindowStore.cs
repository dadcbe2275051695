using MetaAnomaly.Detection.Events;
using MetaAnomaly.Detection.Storage;
using MetaAnomaly.Shared.Storage;

namespace MetaAnomaly.Detection.Muting;

/// <summary>
/// Maintenance windows in the state database, and the mute verdict the webhook outbox asks for: whether a window
/// covers an event, or the event is snoozed.
/// </summary>
public sealed class MaintenanceWindowStore
{
    private const string Columns = "id, name, series_pattern, cluster_id, start_ms, end_ms, recurrence, created_by, created_ms";
    private readonly IStateDatabase _database;
    private readonly TimeProvider _time;

    internal MaintenanceWindowStore(IStateDatabase database, TimeProvider time)
    {
        _database = database;
        _time = time;
    }

    public async Task<IReadOnlyList<MaintenanceWindow>> ListAsync(CancellationToken cancellationToken)
    {
        await using var connection = await _database.OpenAsync(cancellationToken);
        await using var command = connection.Command($"SELECT {Columns} FROM detection_maintenance_windows ORDER BY start_ms, id");
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var windows = new List<MaintenanceWindow>();
        while (await reader.ReadAsync(cancellationToken))
        {
            windows.Add(new MaintenanceWindow(
                reader.GetInt64(0), reader.GetString(1), reader.NullableString(2), reader.NullableString(3),
                DbCommandExtensions.FromUnixMs(reader.GetInt64(4)), DbCommandExtensions.FromUnixMs(reader.GetInt64(5)),
                (MaintenanceRecurrence)reader.GetInt64(6), reader.NullableString(7), DbCommandExtensions.FromUnixMs(reader.GetInt64(8))));
        }
        return windows;
    }

    public async Task<MaintenanceWindow> CreateAsync(MaintenanceWindowRequest request, string? author, CancellationToken cancellationToken)
    {
        await using (var connection = await _database.OpenAsync(cancellationToken))
        await using (var command = connection.Command("""
            INSERT INTO detection_maintenance_windows (name, series_pattern, cluster_id, start_ms, end_ms, recurrence, created_by, created_ms)
            VALUES (@name, @pattern, @cluster, @start, @end, @recurrence, @author, @at)
            """)
            .With("@name", request.Name.Trim()).With("@pattern", NullIfBlank(request.SeriesPattern)).With("@cluster", NullIfBlank(request.ClusterId))
            .With("@start", request.Start.ToUnixMs()).With("@end", request.End.ToUnixMs()).With("@recurrence", (int)request.Recurrence)
            .With("@author", author).With("@at", _time.GetUtcNow().ToUnixMs()))
        {
            await command.ExecuteNonQueryAsync(cancellationToken);
        }
        return (await ListAsync(cancellationToken)).MaxBy(w => w.Id)!;
    }

    public async Task<bool> DeleteAsync(long id, CancellationToken cancellationToken)
    {
        await using var connection = await _database.OpenAsync(cancellationToken);
        await using var command = connection.Command("DELETE FROM detection_maintenance_windows WHERE id = @id").With("@id", id);
        return await command.ExecuteNonQueryAsync(cancellationToken) > 0;
    }

    /// <summary>The window that silences the event's notifications, when one covers its start.</summary>
    public async Task<MaintenanceWindow?> CoveringAsync(AnomalyEvent anomaly, CancellationToken cancellationToken) =>
        (await ListAsync(cancellationToken)).FirstOrDefault(w => w.Covers(anomaly));

    /// <summary>Whether the event's notifications are held back now: a maintenance window covers it, or it is snoozed.</summary>
    public async Task<bool> MutesAsync(AnomalyEvent anomaly, CancellationToken cancellationToken) =>
        anomaly.SnoozedUntil > _time.GetUtcNow() || await CoveringAsync(anomaly, cancellationToken) is not null;

    private static string? NullIfBlank(string? text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();
}
