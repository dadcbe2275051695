using System.Data.Common;
using MetaAnomaly.Detection.Storage;
using MetaAnomaly.Shared.Storage;

namespace MetaAnomaly.Detection.Webhooks;

/// <summary>
/// This node's delivery outbox and attempt log in its own state database: a single node's queue (<see cref="IWebhookQueue"/>);
/// a cluster node's log of the notifications it claimed. Deliveries name their endpoint by its id in
/// <see cref="WebhookEndpointStore"/>, which may be another database (a cluster's).
/// </summary>
internal sealed class WebhookDeliveryStore(IStateDatabase database, TimeProvider time) : IWebhookQueue
{
    private const string DeliveryColumns =
        "id, endpoint_id, event_id, idempotency_key, state, attempts, next_attempt_ms, last_status, last_error, last_latency_ms, created_ms, delivered_ms";

    /// <summary>Queues one notification of the event for the endpoint, due at <paramref name="dueAt"/>; false when that
    /// (endpoint, idempotency key) is queued already.</summary>
    public async Task<bool> EnqueueAsync(
        long endpointId, long eventId, string idempotencyKey, string payload, DateTimeOffset dueAt, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.Command("""
            INSERT INTO detection_deliveries (endpoint_id, event_id, idempotency_key, payload, state, attempts, next_attempt_ms, created_ms)
            VALUES (@endpoint, @event, @key, @payload, 0, 0, @due, @now)
            ON CONFLICT (endpoint_id, idempotency_key) DO NOTHING
            """)
            .With("@endpoint", endpointId).With("@event", eventId).With("@key", idempotencyKey)
            .With("@payload", payload).With("@due", dueAt.ToUnixMs()).With("@now", time.GetUtcNow().ToUnixMs());
        return await command.ExecuteNonQueryAsync(cancellationToken) > 0;
    }

    /// <summary>
    /// Replaces the payload of the endpoint's delivery with that key while it is pending and not yet attempted (an
    /// escalation folded into an opening that has not gone out); false when there is no such delivery.
    /// </summary>
    public async Task<bool> RewriteUnsentAsync(long endpointId, string idempotencyKey, string payload, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.Command("""
            UPDATE detection_deliveries SET payload = @payload
            WHERE endpoint_id = @endpoint AND idempotency_key = @key AND state = 0 AND attempts = 0
            """).With("@endpoint", endpointId).With("@key", idempotencyKey).With("@payload", payload);
        return await command.ExecuteNonQueryAsync(cancellationToken) > 0;
    }

    /// <summary>
    /// When the endpoint's latest notification about the series went out or is due (delivered or pending), or null when
    /// it has none: the per-series minimum interval counts from it.
    /// </summary>
    public async Task<DateTimeOffset?> LastNotifiedAsync(long endpointId, string seriesKey, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.Command("""
            SELECT MAX(d.next_attempt_ms) FROM detection_deliveries d JOIN detection_events e ON e.id = d.event_id
            WHERE d.endpoint_id = @endpoint AND e.series_key = @key AND d.state IN (0, 1)
            """).With("@endpoint", endpointId).With("@key", seriesKey);
        return await command.ExecuteScalarAsync(cancellationToken) is long ms ? DbCommandExtensions.FromUnixMs(ms) : null;
    }

    /// <summary>
    /// The endpoints that were sent (or have queued) a notification of the event, or of any event when it is null: at
    /// start, those no longer among the endpoints were deleted (on another node, or while their deliveries could not be
    /// removed) and are forgotten.
    /// </summary>
    public async Task<IReadOnlySet<long>> NotifiedEndpointsAsync(long? eventId, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.Command("SELECT DISTINCT endpoint_id FROM detection_deliveries WHERE @event IS NULL OR event_id = @event")
            .With("@event", eventId);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var endpoints = new HashSet<long>();
        while (await reader.ReadAsync(cancellationToken))
        {
            endpoints.Add(reader.GetInt64(0));
        }
        return endpoints;
    }

    public async Task<IReadOnlyList<PendingDelivery>> DueAsync(DateTimeOffset now, int limit, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.Command("""
            SELECT id, endpoint_id, idempotency_key, payload, attempts, COALESCE(retry_since_ms, created_ms) FROM detection_deliveries
            WHERE state = 0 AND next_attempt_ms <= @now ORDER BY next_attempt_ms, id LIMIT @limit
            """).With("@now", now.ToUnixMs()).With("@limit", limit);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var due = new List<PendingDelivery>();
        while (await reader.ReadAsync(cancellationToken))
        {
            due.Add(new PendingDelivery(
                reader.GetInt64(0), reader.GetInt64(1), reader.GetString(2), reader.GetString(3), (int)reader.GetInt64(4),
                DbCommandExtensions.FromUnixMs(reader.GetInt64(5))));
        }
        return due;
    }

    /// <summary>Every endpoint's queue of pending and dead-lettered deliveries, by endpoint id (absent: nothing queued).</summary>
    public async Task<IReadOnlyDictionary<long, EndpointQueue>> QueuesAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.Command("""
            SELECT endpoint_id, SUM(state = 0), SUM(state = 2), MIN(CASE WHEN state = 0 THEN next_attempt_ms END)
            FROM detection_deliveries WHERE state IN (0, 2) GROUP BY endpoint_id
            """);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var queues = new Dictionary<long, EndpointQueue>();
        while (await reader.ReadAsync(cancellationToken))
        {
            queues[reader.GetInt64(0)] = new EndpointQueue(
                (int)reader.GetInt64(1), (int)reader.GetInt64(2), reader.IsDBNull(3) ? null : DbCommandExtensions.FromUnixMs(reader.GetInt64(3)));
        }
        return queues;
    }

    /// <summary>Logs one attempt and moves the delivery to its new state.</summary>
    public async Task RecordAttemptAsync(
        long deliveryId, int attempt, DateTimeOffset at, int? status, string? error, long latencyMs,
        DeliveryState state, DateTimeOffset nextAttempt, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using (var log = connection.Command("""
            INSERT INTO detection_delivery_attempts (delivery_id, attempt, at_ms, status, error, latency_ms)
            VALUES (@id, @attempt, @at, @status, @error, @latency)
            """, transaction).With("@id", deliveryId).With("@attempt", attempt).With("@at", at.ToUnixMs())
            .With("@status", status).With("@error", error).With("@latency", latencyMs))
        {
            await log.ExecuteNonQueryAsync(cancellationToken);
        }
        await using (var update = connection.Command("""
            UPDATE detection_deliveries SET state = @state, attempts = @attempt, next_attempt_ms = @next, last_status = @status,
                last_error = @error, last_latency_ms = @latency, delivered_ms = CASE WHEN @state = 1 THEN @at ELSE delivered_ms END
            WHERE id = @id
            """, transaction).With("@id", deliveryId).With("@state", (int)state).With("@attempt", attempt)
            .With("@next", nextAttempt.ToUnixMs()).With("@status", status).With("@error", error).With("@latency", latencyMs)
            .With("@at", at.ToUnixMs()))
        {
            await update.ExecuteNonQueryAsync(cancellationToken);
        }
        await transaction.CommitAsync(cancellationToken);
    }

    /// <summary>Dead-letters a pending delivery without an attempt, with the reason as its last error.</summary>
    public async Task DeadLetterAsync(long deliveryId, string reason, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.Command("UPDATE detection_deliveries SET state = 2, last_error = @reason WHERE id = @id AND state = 0")
            .With("@id", deliveryId).With("@reason", reason);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task<IReadOnlyList<WebhookDelivery>> DeliveriesAsync(long endpointId, DeliveryState? state, int limit, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.Command($"""
            SELECT {DeliveryColumns} FROM detection_deliveries
            WHERE endpoint_id = @endpoint AND (@state IS NULL OR state = @state) ORDER BY id DESC LIMIT @limit
            """).With("@endpoint", endpointId).With("@state", state is { } s ? (int)s : null).With("@limit", limit);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var deliveries = new List<WebhookDelivery>();
        while (await reader.ReadAsync(cancellationToken))
        {
            deliveries.Add(ReadDelivery(reader));
        }
        return deliveries;
    }

    /// <summary>Every delivery of the event's notifications, to any endpoint, oldest first.</summary>
    public async Task<IReadOnlyList<WebhookDelivery>> DeliveriesOfEventAsync(long eventId, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.Command($"SELECT {DeliveryColumns} FROM detection_deliveries WHERE event_id = @event ORDER BY id")
            .With("@event", eventId);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var deliveries = new List<WebhookDelivery>();
        while (await reader.ReadAsync(cancellationToken))
        {
            deliveries.Add(ReadDelivery(reader));
        }
        return deliveries;
    }

    public async Task<IReadOnlyList<DeliveryAttempt>> AttemptsAsync(long deliveryId, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.Command(
            "SELECT attempt, at_ms, status, error, latency_ms FROM detection_delivery_attempts WHERE delivery_id = @id ORDER BY id")
            .With("@id", deliveryId);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var attempts = new List<DeliveryAttempt>();
        while (await reader.ReadAsync(cancellationToken))
        {
            attempts.Add(new DeliveryAttempt(
                (int)reader.GetInt64(0), DbCommandExtensions.FromUnixMs(reader.GetInt64(1)),
                reader.IsDBNull(2) ? null : (int)reader.GetInt64(2), reader.NullableString(3), reader.GetInt64(4)));
        }
        return attempts;
    }

    /// <summary>Puts a dead-lettered delivery back in the queue with a fresh retry horizon; false when it is not dead-lettered.</summary>
    public async Task<bool> ReplayAsync(long deliveryId, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.Command(
            "UPDATE detection_deliveries SET state = 0, attempts = 0, next_attempt_ms = @now, retry_since_ms = @now WHERE id = @id AND state = 2")
            .With("@id", deliveryId).With("@now", time.GetUtcNow().ToUnixMs());
        return await command.ExecuteNonQueryAsync(cancellationToken) > 0;
    }

    /// <summary>The id of the endpoint's delivery with that idempotency key in this outbox, or null when it has none.</summary>
    public async Task<long?> DeliveryIdAsync(long endpointId, string idempotencyKey, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.Command("SELECT id FROM detection_deliveries WHERE endpoint_id = @endpoint AND idempotency_key = @key")
            .With("@endpoint", endpointId).With("@key", idempotencyKey);
        return await command.ExecuteScalarAsync(cancellationToken) is long id ? id : null;
    }

    public async Task<WebhookDelivery?> DeliveryAsync(long deliveryId, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.Command($"SELECT {DeliveryColumns} FROM detection_deliveries WHERE id = @id").With("@id", deliveryId);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? ReadDelivery(reader) : null;
    }

    /// <summary>Deletes the endpoint's deliveries and their attempts (the endpoint was deleted).</summary>
    public async Task ForgetEndpointAsync(long endpointId, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        foreach (var sql in new[]
        {
            "DELETE FROM detection_delivery_attempts WHERE delivery_id IN (SELECT id FROM detection_deliveries WHERE endpoint_id = @id)",
            "DELETE FROM detection_deliveries WHERE endpoint_id = @id",
        })
        {
            await using var command = connection.Command(sql, transaction).With("@id", endpointId);
            await command.ExecuteNonQueryAsync(cancellationToken);
        }
        await transaction.CommitAsync(cancellationToken);
    }

    private static WebhookDelivery ReadDelivery(DbDataReader reader) => new(
        reader.GetInt64(0), reader.GetInt64(1), reader.GetInt64(2), reader.GetString(3), (DeliveryState)reader.GetInt64(4),
        (int)reader.GetInt64(5), DbCommandExtensions.FromUnixMs(reader.GetInt64(6)),
        reader.IsDBNull(7) ? null : (int)reader.GetInt64(7), reader.NullableString(8),
        reader.IsDBNull(9) ? null : reader.GetInt64(9), DbCommandExtensions.FromUnixMs(reader.GetInt64(10)),
        reader.IsDBNull(11) ? null : DbCommandExtensions.FromUnixMs(reader.GetInt64(11)));
}
