using System.Security.Cryptography;
using System.Text;
using MetaAnomaly.Cluster.Configuration;
using MetaAnomaly.Detection.Events;
using MetaAnomaly.Detection.Webhooks;
using Microsoft.Extensions.Options;

namespace MetaAnomaly.Cluster.Events;

/// <summary>
/// A cluster's webhook claims: the event is named by its series and start (<c>event-HASH-STARTMS</c>, the same on
/// every node, where each node's own event ids are not), and a notification is queued by the one node whose claim of
/// its endpoint URL and key in PostgreSQL comes first; the claim holds the notification, which any live node delivers
/// (<see cref="ClusterWebhookQueue"/>).
/// </summary>
internal sealed class ClusterWebhookClaims(ClusterEventLedger ledger, IOptions<ClusterOptions> options) : IWebhookClaims
{
    public string KeyOf(AnomalyEvent anomaly, string type) => WebhookPayload.IdempotencyKeyOf(NameOf(anomaly), anomaly, type);

    public Task<bool> ClaimAsync(string endpointUrl, string idempotencyKey, string payload, DateTimeOffset dueAt, CancellationToken cancellationToken) =>
        ledger.ClaimAsync(endpointUrl, idempotencyKey, options.Value.ResolvedNodeName, payload, dueAt, cancellationToken);

    public Task<bool> RewriteUnsentAsync(string endpointUrl, string idempotencyKey, string payload, CancellationToken cancellationToken) =>
        ledger.RewriteUnsentAsync(endpointUrl, idempotencyKey, payload, cancellationToken);

    private static string NameOf(AnomalyEvent anomaly)
    {
        var series = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(anomaly.SeriesKey)).AsSpan(0, 8));
        return $"event-{series}-{anomaly.Start.ToUnixTimeMilliseconds()}";
    }
}
