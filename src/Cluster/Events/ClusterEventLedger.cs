using System.Text.Json;
using MetaAnomaly.Detection.Events;
using Npgsql;
using NpgsqlTypes;

namespace MetaAnomaly.Cluster.Events;

/// <summary>
/// The cluster's anomaly events and webhook claims in PostgreSQL. An event is keyed by its series and start, so the
/// same event recorded by two nodes (or twice by one) is one row; a webhook notification is claimed once per endpoint
/// URL and idempotency key.
/// </summary>
public sealed class ClusterEventLedger(NpgsqlDataSource database)
{
    internal static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    /// <summary>Inserts the event or updates the row of the same series and start with it.</summary>
    public async Task RecordAsync(IReadOnlyList<AnomalyEvent> events, string node, CancellationToken cancellationToken)
    {
        if (events.Count == 0)
        {
            return;
        }
        var latest = new Dictionary<(string Series, long Start), AnomalyEvent>();
        foreach (var anomaly in events)
        {
            latest[(anomaly.SeriesKey, anomaly.Start.UtcTicks)] = anomaly;
        }
        await using var command = database.CreateCommand("""
            INSERT INTO metaanomaly_events (series_key, start_ts, end_ts, severity, open, node, event)
            SELECT * FROM unnest(@series, @start, @end, @severity, @open, @nodes, @event)
            ON CONFLICT (series_key, start_ts) DO UPDATE SET end_ts = excluded.end_ts, severity = excluded.severity,
                open = excluded.open, node = excluded.node, event = excluded.event, updated = now()
            """);
        var rows = latest.Values.ToArray();
        command.Parameters.Add(new NpgsqlParameter<string[]>("series", rows.Select(e => e.SeriesKey).ToArray()));
        command.Parameters.Add(new NpgsqlParameter<long[]>("start", rows.Select(e => e.Start.UtcTicks).ToArray()));
        command.Parameters.Add(new NpgsqlParameter<long[]>("end", rows.Select(e => e.End.UtcTicks).ToArray()));
        command.Parameters.Add(new NpgsqlParameter<string[]>("severity", rows.Select(e => e.Severity.ToString()).ToArray()));
        command.Parameters.Add(new NpgsqlParameter<bool[]>("open", rows.Select(e => e.Open).ToArray()));
        command.Parameters.Add(new NpgsqlParameter<string[]>("nodes", rows.Select(_ => node).ToArray()));
        command.Parameters.Add(new NpgsqlParameter<string[]>("event", rows.Select(e => JsonSerializer.Serialize(e, Json)).ToArray())
        {
            NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Jsonb,
        });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>The newest <paramref name="count"/> events of the cluster, newest start first, with the node that last recorded each.</summary>
    public async Task<IReadOnlyList<ClusterAnomaly>> ListAsync(int count, CancellationToken cancellationToken)
    {
        await using var command = database.CreateCommand("SELECT node, event::text FROM metaanomaly_events ORDER BY start_ts DESC, series_key LIMIT @count");
        command.Parameters.Add(new NpgsqlParameter<int>("count", count));
        var anomalies = new List<ClusterAnomaly>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            anomalies.Add(new ClusterAnomaly(reader.GetString(0), JsonSerializer.Deserialize<AnomalyEvent>(reader.GetString(1), Json)!));
        }
        return anomalies;
    }

    /// <summary>
    /// True for the one caller whose claim of the endpoint and key is the first in the cluster; the claim keeps the
    /// notification, due at <paramref name="dueAt"/>, for <see cref="ClusterWebhookQueue"/> to deliver from any node.
    /// </summary>
    public async Task<bool> ClaimAsync(string endpointUrl, string idempotencyKey, string node, string payload, DateTimeOffset dueAt, CancellationToken cancellationToken)
    {
        await using var command = database.CreateCommand("""
            INSERT INTO metaanomaly_webhook_claims (endpoint_url, idempotency_key, node, payload, next_attempt)
            VALUES (@url, @key, @node, @payload, @due)
            ON CONFLICT (endpoint_url, idempotency_key) DO NOTHING
            """);
        command.Parameters.Add(new NpgsqlParameter<string>("url", endpointUrl));
        command.Parameters.Add(new NpgsqlParameter<string>("key", idempotencyKey));
        command.Parameters.Add(new NpgsqlParameter<string>("node", node));
        command.Parameters.Add(new NpgsqlParameter<string>("payload", payload));
        command.Parameters.Add(new NpgsqlParameter<DateTimeOffset>("due", dueAt.ToUniversalTime()));
        return await command.ExecuteNonQueryAsync(cancellationToken) == 1;
    }

    /// <summary>Replaces the claimed notification's payload while no node has attempted or taken it; false otherwise.</summary>
    public async Task<bool> RewriteUnsentAsync(string endpointUrl, string idempotencyKey, string payload, CancellationToken cancellationToken)
    {
        await using var command = database.CreateCommand("""
            UPDATE metaanomaly_webhook_claims SET payload = @payload
            WHERE endpoint_url = @url AND idempotency_key = @key AND state = 0 AND attempts = 0 AND lease_holder IS NULL
            """);
        command.Parameters.Add(new NpgsqlParameter<string>("url", endpointUrl));
        command.Parameters.Add(new NpgsqlParameter<string>("key", idempotencyKey));
        command.Parameters.Add(new NpgsqlParameter<string>("payload", payload));
        return await command.ExecuteNonQueryAsync(cancellationToken) == 1;
    }
}

/// <summary>An event of the cluster and the node that last recorded it. Its <see cref="AnomalyEvent.Id"/> is that node's own.</summary>
public sealed record ClusterAnomaly(string Node, AnomalyEvent Event);
