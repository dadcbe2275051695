using System.Text;
using System.Text.Json;
using MetaAnomaly.Cluster.Events;
using MetaAnomaly.Cluster.Sharding;
using MetaAnomaly.Detection.Events;
using MetaAnomaly.Detection.Storage;
using MetaAnomaly.Shared.Series;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace MetaAnomaly.Cluster.Anomalies;

/// <summary>
/// The cluster's events (<c>metaanomaly_events</c>, as every node's <see cref="ClusterEventSink"/> records them) for the
/// dashboard and the API of any node, with the cluster's ids. A verdict, acknowledgement or snooze is stored on the
/// event's row, so every node shows it, and then sent through the series' shard to the node that scores the series
/// (<see cref="NodeEventActions"/>); when that node cannot be reached the action stands in PostgreSQL alone.
/// </summary>
internal sealed partial class ClusterAnomalyDirectory(
    NpgsqlDataSource database, IGrainFactory grains, ShardMap shards, TimeProvider clock, ILogger<ClusterAnomalyDirectory> logger) : IAnomalyDirectory
{
    private const string Columns = "id, event::text, feedback, acknowledged_by, acknowledged_at, snoozed_until";
    private static readonly TimeSpan OwnerAnswerTimeout = TimeSpan.FromSeconds(10);

    /// <summary>The row's severity (its name) as its <see cref="AnomalySeverity"/> value, for filtering and sorting.</summary>
    private static readonly string SeverityValue =
        $"(array_position(ARRAY[{string.Join(", ", Enum.GetNames<AnomalySeverity>().Select(n => $"'{n}'"))}], severity) - 1)";

    public async Task<AnomalyPage> ListAsync(AnomalyQuery query, CancellationToken cancellationToken)
    {
        var pageSize = Math.Clamp(query.PageSize, 1, AnomalyQuery.Defaults.MaxPageSize);
        var page = Math.Max(1, query.Page);
        var where = new StringBuilder("WHERE true");
        var parameters = new List<NpgsqlParameter>();
        if (!string.IsNullOrEmpty(query.Series))
        {
            where.Append(query.SeriesLikePattern is null ? " AND series_key = @series" : " AND series_key LIKE @series ESCAPE '\\'");
            parameters.Add(new NpgsqlParameter<string>("series", query.SeriesLikePattern ?? query.Series));
        }
        if (query.ClusterId is { } cluster)
        {
            where.Append(" AND event->>'clusterId' = @cluster");
            parameters.Add(new NpgsqlParameter<string>("cluster", cluster));
        }
        if (query.MinSeverity is { } severity)
        {
            where.Append($" AND {SeverityValue} >= @severity");
            parameters.Add(new NpgsqlParameter<int>("severity", (int)severity));
        }
        if (query.From is { } from)
        {
            where.Append(" AND end_ts >= @from");
            parameters.Add(new NpgsqlParameter<long>("from", from.UtcTicks));
        }
        if (query.To is { } to)
        {
            where.Append(" AND start_ts <= @to");
            parameters.Add(new NpgsqlParameter<long>("to", to.UtcTicks));
        }
        if (query.Open is { } open)
        {
            where.Append(" AND open = @open");
            parameters.Add(new NpgsqlParameter<bool>("open", open));
        }
        if (query.Feedback is { } feedback)
        {
            where.Append(" AND feedback = @feedback");
            parameters.Add(new NpgsqlParameter<short>("feedback", (short)feedback));
        }

        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        int total;
        await using (var count = new NpgsqlCommand($"SELECT count(*) FROM metaanomaly_events {where}", connection))
        {
            count.Parameters.AddRange(parameters.Select(p => p.Clone()).ToArray());
            total = (int)(long)(await count.ExecuteScalarAsync(cancellationToken))!;
        }
        var column = query.Sort switch
        {
            AnomalySort.End => "end_ts",
            AnomalySort.Severity => SeverityValue,
            AnomalySort.Score => "abs((event->>'score')::float8)",
            AnomalySort.Probability => "(event->>'probability')::float8",
            AnomalySort.Series => "series_key",
            AnomalySort.AnomalyScore => "COALESCE((event->>'surprise')::float8, -1)",
            _ => "start_ts",
        };
        var direction = query.Descending ? "DESC" : "ASC";
        await using var command = new NpgsqlCommand(
            $"SELECT {Columns} FROM metaanomaly_events {where} ORDER BY {column} {direction}, id {direction} LIMIT @limit OFFSET @offset", connection);
        command.Parameters.AddRange(parameters.ToArray());
        command.Parameters.Add(new NpgsqlParameter<int>("limit", pageSize));
        command.Parameters.Add(new NpgsqlParameter<long>("offset", (long)(page - 1) * pageSize));
        var items = new List<AnomalyEvent>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            items.Add(Read(reader));
        }
        return new AnomalyPage(items, total, page, pageSize);
    }

    public async Task<AnomalyEvent?> GetAsync(long id, CancellationToken cancellationToken)
    {
        await using var command = database.CreateCommand($"SELECT {Columns} FROM metaanomaly_events WHERE id = @id");
        command.Parameters.Add(new NpgsqlParameter<long>("id", id));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? Read(reader) : null;
    }

    public async Task<AnomalyEvent?> SubmitFeedbackAsync(long id, AnomalyFeedbackKind verdict, string? comment, string? author, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using (var update = new NpgsqlCommand("""
            UPDATE metaanomaly_events SET feedback = @verdict WHERE id = @id;
            INSERT INTO metaanomaly_event_feedback (event_id, verdict, comment, author, at) SELECT @id, @verdict, @comment, @author, @at
                WHERE EXISTS (SELECT 1 FROM metaanomaly_events WHERE id = @id)
            """, connection, transaction))
        {
            update.Parameters.Add(new NpgsqlParameter<long>("id", id));
            update.Parameters.Add(new NpgsqlParameter<short>("verdict", (short)verdict));
            update.Parameters.Add(new NpgsqlParameter<string?>("comment", comment));
            update.Parameters.Add(new NpgsqlParameter<string?>("author", author));
            update.Parameters.Add(new NpgsqlParameter<DateTimeOffset>("at", clock.GetUtcNow()));
            if (await update.ExecuteNonQueryAsync(cancellationToken) == 0)
            {
                return null;
            }
        }
        await transaction.CommitAsync(cancellationToken);
        return await PassOnAsync(id, anomaly => new EventAction(EventActionKind.Feedback, anomaly.SeriesKey, anomaly.Start, author, verdict, comment), cancellationToken);
    }

    public async Task<AnomalyEvent?> AcknowledgeAsync(long id, string? author, CancellationToken cancellationToken)
    {
        await using (var update = database.CreateCommand("UPDATE metaanomaly_events SET acknowledged_by = @author, acknowledged_at = @at WHERE id = @id AND acknowledged_at IS NULL"))
        {
            update.Parameters.Add(new NpgsqlParameter<long>("id", id));
            update.Parameters.Add(new NpgsqlParameter<string?>("author", author));
            update.Parameters.Add(new NpgsqlParameter<DateTimeOffset>("at", clock.GetUtcNow()));
            await update.ExecuteNonQueryAsync(cancellationToken);
        }
        return await PassOnAsync(id, anomaly => new EventAction(EventActionKind.Acknowledge, anomaly.SeriesKey, anomaly.Start, author), cancellationToken);
    }

    public async Task<AnomalyEvent?> SnoozeAsync(long id, TimeSpan duration, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var until = now + duration;
        await using (var update = database.CreateCommand("UPDATE metaanomaly_events SET snoozed_until = @until WHERE id = @id"))
        {
            update.Parameters.Add(new NpgsqlParameter<long>("id", id));
            update.Parameters.Add(new NpgsqlParameter<DateTimeOffset>("until", until));
            await update.ExecuteNonQueryAsync(cancellationToken);
        }
        return await PassOnAsync(id, anomaly => new EventAction(EventActionKind.Snooze, anomaly.SeriesKey, anomaly.Start, null, Until: until), cancellationToken);
    }

    /// <summary>The event as now stored, after sending the action to the node its series' shard runs on; null when no event has that id.</summary>
    private async Task<AnomalyEvent?> PassOnAsync(long id, Func<AnomalyEvent, EventAction> action, CancellationToken cancellationToken)
    {
        if (await GetAsync(id, cancellationToken) is not { } anomaly)
        {
            return null;
        }
        try
        {
            var shard = shards.ShardOf(SeriesKey.Parse(anomaly.SeriesKey));
            if (!await grains.GetGrain<IShardGrain>(shard).ActOnEventAsync(action(anomaly)).WaitAsync(OwnerAnswerTimeout, cancellationToken))
            {
                LogNotOwned(id, anomaly.SeriesKey);
            }
        }
        catch (Exception exception) when (exception is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            LogNotPassedOn(exception, id, anomaly.SeriesKey);
        }
        return anomaly;
    }

    private static AnomalyEvent Read(NpgsqlDataReader reader) =>
        JsonSerializer.Deserialize<AnomalyEvent>(reader.GetString(1), ClusterEventLedger.Json)! with
        {
            Id = reader.GetInt64(0),
            Feedback = (AnomalyFeedbackKind)reader.GetInt16(2),
            AcknowledgedBy = reader.IsDBNull(3) ? null : reader.GetString(3),
            AcknowledgedAt = reader.IsDBNull(4) ? null : reader.GetFieldValue<DateTimeOffset>(4),
            SnoozedUntil = reader.IsDBNull(5) ? null : reader.GetFieldValue<DateTimeOffset>(5),
        };

    [LoggerMessage(Level = LogLevel.Information, Message = "Event {Id} of {Series}: the node scoring the series has no such event (it was scored by a node since lost); the action is the cluster's only")]
    private partial void LogNotOwned(long id, string series);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Event {Id} of {Series}: the action is stored for the cluster but did not reach the node scoring the series")]
    private partial void LogNotPassedOn(Exception exception, long id, string series);
}
