using System.Runtime.InteropServices;
using MetaAnomaly.Ingest.Buffers;
using MetaAnomaly.Shared.Series;
using MetaAnomaly.Shared.Storage;
using Microsoft.Data.Sqlite;

namespace MetaAnomaly.Ingest.Storage;

/// <summary>Saves the rings and the series catalogue to the state database, and reads the rings back.</summary>
internal sealed class BufferSnapshotStore(IStateDatabase database, TimeProvider clock)
{
    public async Task SaveAsync(IReadOnlyList<RingSnapshot> rings, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var at = clock.GetUtcNow().ToString("O");
        await using var snapshot = connection.CreateCommand();
        snapshot.Transaction = transaction;
        snapshot.CommandText = """
            INSERT INTO ingest_buffer_snapshot (series_key, step_ticks, start_ticks, first_ticks, point_count, slot_values, saved_at)
            VALUES ($key, $step, $start, $first, $count, $values, $at)
            ON CONFLICT (series_key) DO UPDATE SET step_ticks = excluded.step_ticks, start_ticks = excluded.start_ticks,
                first_ticks = excluded.first_ticks, point_count = excluded.point_count, slot_values = excluded.slot_values,
                saved_at = excluded.saved_at
            """;
        await using var catalogue = connection.CreateCommand();
        catalogue.Transaction = transaction;
        catalogue.CommandText = """
            INSERT INTO ingest_series (series_key, measurement, field, step_ticks, first_ticks, last_ticks, point_count, updated_at)
            VALUES ($key, $measurement, $field, $step, $first, $last, $count, $at)
            ON CONFLICT (series_key) DO UPDATE SET step_ticks = excluded.step_ticks, first_ticks = excluded.first_ticks,
                last_ticks = excluded.last_ticks, point_count = excluded.point_count, updated_at = excluded.updated_at
            """;
        foreach (var ring in rings)
        {
            snapshot.Parameters.Clear();
            snapshot.Parameters.Add(new SqliteParameter("$key", ring.Key.ToString()));
            snapshot.Parameters.Add(new SqliteParameter("$step", ring.StepTicks));
            snapshot.Parameters.Add(new SqliteParameter("$start", ring.StartTicks));
            snapshot.Parameters.Add(new SqliteParameter("$first", ring.FirstTicks));
            snapshot.Parameters.Add(new SqliteParameter("$count", ring.PointCount));
            snapshot.Parameters.Add(new SqliteParameter("$values", MemoryMarshal.AsBytes(ring.Values.AsSpan()).ToArray()));
            snapshot.Parameters.Add(new SqliteParameter("$at", at));
            await snapshot.ExecuteNonQueryAsync(cancellationToken);

            catalogue.Parameters.Clear();
            catalogue.Parameters.Add(new SqliteParameter("$key", ring.Key.ToString()));
            catalogue.Parameters.Add(new SqliteParameter("$measurement", ring.Key.Measurement));
            catalogue.Parameters.Add(new SqliteParameter("$field", ring.Key.Field));
            catalogue.Parameters.Add(new SqliteParameter("$step", ring.StepTicks));
            catalogue.Parameters.Add(new SqliteParameter("$first", ring.FirstTicks));
            catalogue.Parameters.Add(new SqliteParameter("$last", ring.StartTicks + (ring.Values.Length - 1) * ring.StepTicks));
            catalogue.Parameters.Add(new SqliteParameter("$count", ring.PointCount));
            catalogue.Parameters.Add(new SqliteParameter("$at", at));
            await catalogue.ExecuteNonQueryAsync(cancellationToken);
        }
        await transaction.CommitAsync(cancellationToken);
    }

    public async Task<IReadOnlyList<RingSnapshot>> LoadAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT series_key, step_ticks, start_ticks, first_ticks, point_count, slot_values FROM ingest_buffer_snapshot";
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var rings = new List<RingSnapshot>();
        while (await reader.ReadAsync(cancellationToken))
        {
            if (!SeriesKey.TryParse(reader.GetString(0), out var key) || key is null)
            {
                continue;
            }
            var bytes = (byte[])reader.GetValue(5);
            var values = MemoryMarshal.Cast<byte, double>(bytes).ToArray();
            rings.Add(new RingSnapshot(key, reader.GetInt64(1), reader.GetInt64(2), values, reader.GetInt64(4), reader.GetInt64(3)));
        }
        return rings;
    }
}
