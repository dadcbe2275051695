using MetaAnomaly.Cluster.Configuration;
using MetaAnomaly.Detection;
using MetaAnomaly.Detection.Webhooks;
using Microsoft.Extensions.Options;
using Npgsql;

namespace MetaAnomaly.Cluster.Events;

/// <summary>
/// A cluster node's webhook queue, in place of its own outbox's: the notifications claimed by any node
/// (<c>metaanomaly_webhook_claims</c>), so that one claimed by a node that is then lost is delivered by a live one. The
/// node's dispatcher (the single node's, with its retry schedule, dead-lettering and circuit breaker) takes at most
/// <see cref="TakenPerPoll"/> due notifications of the cluster's endpoints (by URL) at a time, each under a lease
/// of that many attempt timeouts and a poll, and records every attempt in the row, which frees it; a row is taken by
/// one node at a time. An attempt on a notification this node claimed is also recorded in its own outbox (its delivery
/// log); one claimed by a lost node stays as it was in that node's outbox.
/// </summary>
internal sealed class ClusterWebhookQueue(
    NpgsqlDataSource database, WebhookEndpointStore endpoints, WebhookDeliveryStore store, IOptions<ClusterOptions> cluster, IOptions<DetectionOptions> detection) : IWebhookQueue
{
    private const int TakenPerPoll = 20;

    private readonly string _holder = $"{cluster.Value.ResolvedNodeName}/{Guid.NewGuid():N}";

    private TimeSpan Lease => detection.Value.Webhooks.AttemptTimeout * TakenPerPoll + detection.Value.Webhooks.PollInterval;

    public async Task<IReadOnlyList<PendingDelivery>> DueAsync(DateTimeOffset now, int limit, CancellationToken cancellationToken)
    {
        var byUrl = await EndpointsAsync(cancellationToken);
        if (byUrl.Count == 0)
        {
            return [];
        }
        await using var command = database.CreateCommand("""
            UPDATE metaanomaly_webhook_claims SET lease_holder = @holder, lease_until = @until
            WHERE id IN (
                SELECT id FROM metaanomaly_webhook_claims
                WHERE state = 0 AND payload IS NOT NULL AND next_attempt <= @now AND endpoint_url = ANY(@urls)
                    AND (lease_holder IS NULL OR lease_holder = @holder OR lease_until < @now)
                ORDER BY next_attempt, id LIMIT @limit
                FOR UPDATE SKIP LOCKED)
            RETURNING id, endpoint_url, idempotency_key, payload, attempts, retry_since, next_attempt
            """);
        command.Parameters.Add(new NpgsqlParameter<string>("holder", _holder));
        command.Parameters.Add(new NpgsqlParameter<DateTimeOffset>("until", (now + Lease).ToUniversalTime()));
        command.Parameters.Add(new NpgsqlParameter<DateTimeOffset>("now", now.ToUniversalTime()));
        command.Parameters.Add(new NpgsqlParameter<string[]>("urls", byUrl.Keys.ToArray()));
        command.Parameters.Add(new NpgsqlParameter<int>("limit", Math.Min(limit, TakenPerPoll)));
        var due = new List<(PendingDelivery Delivery, DateTimeOffset NextAttempt)>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            due.Add((new PendingDelivery(
                reader.GetInt64(0), byUrl[reader.GetString(1)], reader.GetString(2), reader.GetString(3), reader.GetInt32(4),
                reader.GetFieldValue<DateTimeOffset>(5)), reader.GetFieldValue<DateTimeOffset>(6)));
        }
        return due.OrderBy(d => d.NextAttempt).ThenBy(d => d.Delivery.Id).Select(d => d.Delivery).ToArray();
    }

    public async Task RecordAttemptAsync(
        long deliveryId, int attempt, DateTimeOffset at, int? status, string? error, long latencyMs,
        DeliveryState state, DateTimeOffset nextAttempt, CancellationToken cancellationToken)
    {
        await using var command = database.CreateCommand("""
            UPDATE metaanomaly_webhook_claims SET state = @state, attempts = @attempt, next_attempt = @next, last_status = @status,
                last_error = @error, lease_holder = NULL, lease_until = NULL,
                delivered = CASE WHEN @state = 1 THEN @at END, delivered_by = CASE WHEN @state = 1 THEN @node END
            WHERE id = @id
            RETURNING endpoint_url, idempotency_key
            """);
        command.Parameters.Add(new NpgsqlParameter<long>("id", deliveryId));
        command.Parameters.Add(new NpgsqlParameter<short>("state", (short)state));
        command.Parameters.Add(new NpgsqlParameter<int>("attempt", attempt));
        command.Parameters.Add(new NpgsqlParameter<DateTimeOffset>("next", nextAttempt.ToUniversalTime()));
        command.Parameters.Add(new NpgsqlParameter<DateTimeOffset>("at", at.ToUniversalTime()));
        command.Parameters.Add(new NpgsqlParameter("status", (object?)status ?? DBNull.Value) { NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Integer });
        command.Parameters.Add(new NpgsqlParameter("error", (object?)error ?? DBNull.Value) { NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text });
        command.Parameters.Add(new NpgsqlParameter<string>("node", cluster.Value.ResolvedNodeName));
        if (await OwnDeliveryAsync(command, cancellationToken) is { } own)
        {
            await store.RecordAttemptAsync(own, attempt, at, status, error, latencyMs, state, nextAttempt, cancellationToken);
        }
    }

    public async Task DeadLetterAsync(long deliveryId, string reason, CancellationToken cancellationToken)
    {
        await using var command = database.CreateCommand("""
            UPDATE metaanomaly_webhook_claims SET state = 2, last_error = @reason, lease_holder = NULL, lease_until = NULL
            WHERE id = @id AND state = 0
            RETURNING endpoint_url, idempotency_key
            """);
        command.Parameters.Add(new NpgsqlParameter<long>("id", deliveryId));
        command.Parameters.Add(new NpgsqlParameter<string>("reason", reason));
        if (await OwnDeliveryAsync(command, cancellationToken) is { } own)
        {
            await store.DeadLetterAsync(own, reason, cancellationToken);
        }
    }

    /// <summary>The cluster's endpoints by URL (the first of several with one URL).</summary>
    private async Task<IReadOnlyDictionary<string, long>> EndpointsAsync(CancellationToken cancellationToken)
    {
        var byUrl = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var target in await endpoints.ListAsync(cancellationToken))
        {
            byUrl.TryAdd(target.Url, target.Id);
        }
        return byUrl;
    }

    /// <summary>Runs the update of a claim; the id of the same notification in this node's own outbox, if it has it.</summary>
    private async Task<long?> OwnDeliveryAsync(NpgsqlCommand update, CancellationToken cancellationToken)
    {
        string url, key;
        await using (var reader = await update.ExecuteReaderAsync(cancellationToken))
        {
            if (!await reader.ReadAsync(cancellationToken))
            {
                return null;
            }
            url = reader.GetString(0);
            key = reader.GetString(1);
        }
        return (await EndpointsAsync(cancellationToken)).TryGetValue(url, out var endpoint)
            ? await store.DeliveryIdAsync(endpoint, key, cancellationToken)
            : null;
    }
}
