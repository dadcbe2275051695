using System.Data.Common;
using System.Text;
using MetaAnomaly.Detection.Events;
using MetaAnomaly.Detection.Scoring;
using MetaAnomaly.Shared.Series;
using MetaAnomaly.Shared.Statistics;
using MetaAnomaly.Shared.Storage;

namespace MetaAnomaly.Detection.Storage;

/// <summary><see cref="IAnomalyStore"/> over the embedded state database (SQL as SQLite speaks it).</summary>
internal sealed class SqlAnomalyStore(IStateDatabase database, TimeProvider time) : IAnomalyStore
{
    private const string EventColumns =
        "id, series_key, cluster_id, start_ms, end_ms, peak_ms, value, forecast, band_lower, band_upper, score, " +
        "probability, severity, direction, rule, open, points, feedback, detected_ms, reason, surprise, acknowledged_by, acknowledged_ms, snoozed_until_ms";

    public async Task<AnomalyEvent> UpsertAsync(AnomalyEvent anomaly, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.Command($"""
            INSERT INTO detection_events (series_key, cluster_id, start_ms, end_ms, peak_ms, value, forecast, band_lower,
                band_upper, score, probability, severity, direction, rule, open, points, feedback, detected_ms, reason, surprise)
            VALUES (@key, @cluster, @start, @end, @peak, @value, @forecast, @lower, @upper, @score, @probability,
                @severity, @direction, @rule, @open, @points, 0, @detected, @reason, @surprise)
            ON CONFLICT (series_key, start_ms) DO UPDATE SET
                cluster_id = excluded.cluster_id, end_ms = excluded.end_ms, peak_ms = excluded.peak_ms,
                value = excluded.value, forecast = excluded.forecast, band_lower = excluded.band_lower,
                band_upper = excluded.band_upper, score = excluded.score, probability = excluded.probability,
                severity = excluded.severity, direction = excluded.direction, open = excluded.open,
                points = excluded.points, reason = excluded.reason, surprise = excluded.surprise
            RETURNING {EventColumns}
            """)
            .With("@key", anomaly.SeriesKey).With("@cluster", anomaly.ClusterId)
            .With("@start", anomaly.Start.ToUnixMs()).With("@end", anomaly.End.ToUnixMs()).With("@peak", anomaly.Peak.ToUnixMs())
            .With("@value", anomaly.Value).With("@forecast", anomaly.Forecast)
            .With("@lower", anomaly.BandLower).With("@upper", anomaly.BandUpper)
            .With("@score", anomaly.Score).With("@probability", anomaly.Probability)
            .With("@severity", (int)anomaly.Severity).With("@direction", (int)anomaly.Direction)
            .With("@rule", anomaly.Rule).With("@open", anomaly.Open ? 1 : 0).With("@points", anomaly.Points)
            .With("@detected", anomaly.DetectedAt.ToUnixMs()).With("@reason", anomaly.Reason)
            .With("@surprise", anomaly.Surprise);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        return ReadEvent(reader);
    }

    public async Task SaveScoresAsync(IReadOnlyList<(SeriesKey Key, ScoredPoint Point)> points, CancellationToken cancellationToken)
    {
        if (points.Count == 0)
        {
            return;
        }
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using var command = connection.Command("""
            INSERT OR REPLACE INTO detection_scores (series_key, ts_ms, value, forecast, scale, score, probability, anomalous, surprise, reason)
            VALUES (@key, @ts, @value, @forecast, @scale, @score, @probability, @anomalous, @surprise, @reason)
            """, transaction);
        foreach (var (key, point) in points)
        {
            command.Parameters.Clear();
            command.With("@key", key.ToString()).With("@ts", point.Timestamp.ToUnixMs()).With("@value", point.Value)
                .With("@forecast", point.Forecast).With("@scale", point.Scale).With("@score", point.Score)
                .With("@probability", point.Probability).With("@anomalous", point.Anomalous ? 1 : 0)
                .With("@surprise", double.IsFinite(point.Surprise) ? point.Surprise : null).With("@reason", point.Reason);
            await command.ExecuteNonQueryAsync(cancellationToken);
        }
        await transaction.CommitAsync(cancellationToken);
    }

    public async Task<IReadOnlyList<ScoredPoint>> ScoresAsync(SeriesKey key, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.Command("""
            SELECT ts_ms, value, forecast, scale, score, probability, anomalous, surprise, reason FROM detection_scores
            WHERE series_key = @key AND ts_ms BETWEEN @from AND @to ORDER BY ts_ms
            """).With("@key", key.ToString()).With("@from", from.ToUnixMs()).With("@to", to.ToUnixMs());
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var points = new List<ScoredPoint>();
        while (await reader.ReadAsync(cancellationToken))
        {
            points.Add(new ScoredPoint(
                DbCommandExtensions.FromUnixMs(reader.GetInt64(0)), reader.GetDouble(1), reader.GetDouble(2),
                reader.GetDouble(3), reader.GetDouble(4), reader.GetDouble(5),
                reader.IsDBNull(7) ? NormalQuantile.Of(reader.GetDouble(5)) : reader.GetDouble(7), true, reader.GetInt64(6) != 0, null, double.NaN,
                reader.NullableString(8)));
        }
        return points;
    }

    public async Task PruneScoresAsync(DateTimeOffset before, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.Command("DELETE FROM detection_scores WHERE ts_ms < @before")
            .With("@before", before.ToUnixMs());
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task<AnomalyEvent?> GetAsync(long id, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.Command($"SELECT {EventColumns} FROM detection_events WHERE id = @id").With("@id", id);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? ReadEvent(reader) : null;
    }

    public async Task<AnomalyPage> ListAsync(AnomalyQuery query, CancellationToken cancellationToken)
    {
        var pageSize = Math.Clamp(query.PageSize, 1, AnomalyQuery.Defaults.MaxPageSize);
        var page = Math.Max(1, query.Page);
        await using var connection = await database.OpenAsync(cancellationToken);
        var where = new StringBuilder("WHERE 1 = 1");
        var parameters = new List<(string, object?)>();
        if (!string.IsNullOrEmpty(query.Series))
        {
            if (query.SeriesLikePattern is { } pattern)
            {
                where.Append(" AND series_key LIKE @series ESCAPE '\\'");
                parameters.Add(("@series", pattern));
            }
            else
            {
                where.Append(" AND series_key = @series");
                parameters.Add(("@series", query.Series));
            }
        }
        if (query.ClusterId is { } cluster)
        {
            where.Append(" AND cluster_id = @cluster");
            parameters.Add(("@cluster", cluster));
        }
        if (query.MinSeverity is { } severity)
        {
            where.Append(" AND severity >= @severity");
            parameters.Add(("@severity", (int)severity));
        }
        if (query.From is { } from)
        {
            where.Append(" AND end_ms >= @from");
            parameters.Add(("@from", from.ToUnixMs()));
        }
        if (query.To is { } to)
        {
            where.Append(" AND start_ms <= @to");
            parameters.Add(("@to", to.ToUnixMs()));
        }
        if (query.Open is { } open)
        {
            where.Append(" AND open = @open");
            parameters.Add(("@open", open ? 1 : 0));
        }
        if (query.Feedback is { } feedback)
        {
            where.Append(" AND feedback = @feedback");
            parameters.Add(("@feedback", (int)feedback));
        }

        int total;
        await using (var count = connection.Command($"SELECT COUNT(*) FROM detection_events {where}"))
        {
            foreach (var (name, value) in parameters)
            {
                count.With(name, value);
            }
            total = Convert.ToInt32(await count.ExecuteScalarAsync(cancellationToken), System.Globalization.CultureInfo.InvariantCulture);
        }

        var column = query.Sort switch
        {
            AnomalySort.End => "end_ms",
            AnomalySort.Severity => "severity",
            AnomalySort.Score => "abs(score)",
            AnomalySort.Probability => "probability",
            AnomalySort.Series => "series_key",
            AnomalySort.AnomalyScore => "COALESCE(surprise, -1)",
            _ => "start_ms",
        };
        var direction = query.Descending ? "DESC" : "ASC";
        await using var command = connection.Command(
            $"SELECT {EventColumns} FROM detection_events {where} ORDER BY {column} {direction}, id {direction} LIMIT @limit OFFSET @offset");
        foreach (var (name, value) in parameters)
        {
            command.With(name, value);
        }
        command.With("@limit", pageSize).With("@offset", (long)(page - 1) * pageSize);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var items = new List<AnomalyEvent>();
        while (await reader.ReadAsync(cancellationToken))
        {
            items.Add(ReadEvent(reader));
        }
        return new AnomalyPage(items, total, page, pageSize);
    }

    public async Task<AnomalyEvent?> AddFeedbackAsync(long id, AnomalyFeedbackKind verdict, string? comment, string? author, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using (var update = connection.Command("UPDATE detection_events SET feedback = @verdict WHERE id = @id", transaction)
            .With("@verdict", (int)verdict).With("@id", id))
        {
            if (await update.ExecuteNonQueryAsync(cancellationToken) == 0)
            {
                return null;
            }
        }
        await using (var insert = connection.Command("""
            INSERT INTO detection_feedback (event_id, verdict, comment, author, at_ms) VALUES (@id, @verdict, @comment, @author, @at)
            """, transaction).With("@id", id).With("@verdict", (int)verdict).With("@comment", comment).With("@author", author)
            .With("@at", time.GetUtcNow().ToUnixMs()))
        {
            await insert.ExecuteNonQueryAsync(cancellationToken);
        }
        await transaction.CommitAsync(cancellationToken);
        return await GetAsync(id, cancellationToken);
    }

    public async Task<AnomalyEvent?> AcknowledgeAsync(long id, string? author, CancellationToken cancellationToken)
    {
        await using (var connection = await database.OpenAsync(cancellationToken))
        await using (var update = connection.Command("""
            UPDATE detection_events SET acknowledged_by = @author, acknowledged_ms = @at WHERE id = @id AND acknowledged_ms IS NULL
            """).With("@id", id).With("@author", author).With("@at", time.GetUtcNow().ToUnixMs()))
        {
            await update.ExecuteNonQueryAsync(cancellationToken);
        }
        return await GetAsync(id, cancellationToken);
    }

    public async Task<AnomalyEvent?> SnoozeAsync(long id, DateTimeOffset until, CancellationToken cancellationToken)
    {
        await using (var connection = await database.OpenAsync(cancellationToken))
        await using (var update = connection.Command("UPDATE detection_events SET snoozed_until_ms = @until WHERE id = @id")
            .With("@id", id).With("@until", until.ToUnixMs()))
        {
            await update.ExecuteNonQueryAsync(cancellationToken);
        }
        return await GetAsync(id, cancellationToken);
    }

    public async Task<IReadOnlyList<ClusterFeedback>> FeedbackByClusterAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.Command("""
            SELECT COALESCE(cluster_id, ''), SUM(feedback = 1), SUM(feedback = 2) FROM detection_events
            WHERE feedback <> 0 GROUP BY COALESCE(cluster_id, '') ORDER BY 1
            """);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var clusters = new List<ClusterFeedback>();
        while (await reader.ReadAsync(cancellationToken))
        {
            clusters.Add(new ClusterFeedback(reader.GetString(0), (int)reader.GetInt64(1), (int)reader.GetInt64(2)));
        }
        return clusters;
    }

    private static AnomalyEvent ReadEvent(DbDataReader reader) => new(
        reader.GetInt64(0),
        reader.GetString(1),
        reader.NullableString(2),
        DbCommandExtensions.FromUnixMs(reader.GetInt64(3)),
        DbCommandExtensions.FromUnixMs(reader.GetInt64(4)),
        DbCommandExtensions.FromUnixMs(reader.GetInt64(5)),
        reader.GetDouble(6),
        reader.GetDouble(7),
        reader.GetDouble(8),
        reader.GetDouble(9),
        reader.GetDouble(10),
        reader.GetDouble(11),
        (AnomalySeverity)reader.GetInt64(12),
        (AnomalyDirection)reader.GetInt64(13),
        reader.GetString(14),
        reader.GetInt64(15) != 0,
        (int)reader.GetInt64(16),
        (AnomalyFeedbackKind)reader.GetInt64(17),
        DbCommandExtensions.FromUnixMs(reader.GetInt64(18)),
        reader.NullableString(19),
        reader.IsDBNull(20) ? null : reader.GetDouble(20),
        reader.NullableString(21),
        reader.IsDBNull(22) ? null : DbCommandExtensions.FromUnixMs(reader.GetInt64(22)),
        reader.IsDBNull(23) ? null : DbCommandExtensions.FromUnixMs(reader.GetInt64(23)));
}
