using MetaAnomaly.Detection.Events;
using MetaAnomaly.Detection.Muting;
using Microsoft.Extensions.Options;

namespace MetaAnomaly.Detection.Webhooks;

/// <summary>
/// Queues an event's notifications for every endpoint that wants them (the dispatcher delivers): the opening; an
/// escalation, folded into the opening while that has not gone out, held until <see cref="WebhookOptions.MinSeriesInterval"/>
/// after the series' last notification otherwise, and not sent once the event is acknowledged; the resolution, to the
/// endpoints that were told of the event, after its other notifications. Nothing is queued for an event that a
/// maintenance window covers or that is snoozed (it is stored and shown all the same). Each notification is queued
/// for an endpoint only when <see cref="IWebhookClaims"/> claims it (always on a single node, once per cluster).
/// </summary>
internal sealed class WebhookOutbox(
    WebhookEndpointStore endpoints, WebhookDeliveryStore store, MaintenanceWindowStore muting, DashboardLink link, IWebhookClaims claims, IOptions<DetectionOptions> options, TimeProvider time)
{
    /// <summary>The event opened; returns how many endpoints it was queued for.</summary>
    public async Task<int> EnqueueAsync(AnomalyEvent anomaly, CancellationToken cancellationToken)
    {
        if (await muting.MutesAsync(anomaly, cancellationToken))
        {
            return 0;
        }
        var payload = Payload(anomaly, WebhookPayload.OpenedType);
        var queued = 0;
        foreach (var target in await WantingAsync(anomaly, cancellationToken))
        {
            var due = await SpacedAsync(target.Id, anomaly.SeriesKey, cancellationToken);
            if (!await claims.ClaimAsync(target.Url, payload.Id, payload.Serialize(), due, cancellationToken))
            {
                continue;
            }
            queued += await store.EnqueueAsync(target.Id, anomaly.Id, payload.Id, payload.Serialize(), due, cancellationToken) ? 1 : 0;
        }
        return queued;
    }

    /// <summary>The open event's severity rose to <see cref="AnomalyEvent.Severity"/>; returns how many endpoints will hear of it.</summary>
    public async Task<int> EnqueueEscalationAsync(AnomalyEvent anomaly, CancellationToken cancellationToken)
    {
        if (anomaly.AcknowledgedAt is not null || await muting.MutesAsync(anomaly, cancellationToken))
        {
            return 0;
        }
        var opening = Payload(anomaly, WebhookPayload.OpenedType);
        var escalation = Payload(anomaly, WebhookPayload.EscalatedType);
        var queued = 0;
        foreach (var target in await WantingAsync(anomaly, cancellationToken))
        {
            if (await store.RewriteUnsentAsync(target.Id, opening.Id, opening.Serialize(), cancellationToken)
                && await claims.RewriteUnsentAsync(target.Url, opening.Id, opening.Serialize(), cancellationToken))
            {
                queued++;
                continue;
            }
            var due = await SpacedAsync(target.Id, anomaly.SeriesKey, cancellationToken);
            if (!await claims.ClaimAsync(target.Url, escalation.Id, escalation.Serialize(), due, cancellationToken))
            {
                continue;
            }
            queued += await store.EnqueueAsync(target.Id, anomaly.Id, escalation.Id, escalation.Serialize(), due, cancellationToken) ? 1 : 0;
        }
        return queued;
    }

    /// <summary>The event closed; queued for the endpoints that were told of it, after their other notifications of the series.</summary>
    public async Task<int> EnqueueResolutionAsync(AnomalyEvent anomaly, CancellationToken cancellationToken)
    {
        var payload = Payload(anomaly, WebhookPayload.ResolvedType);
        var notified = await store.NotifiedEndpointsAsync(anomaly.Id, cancellationToken);
        var urls = (await endpoints.ListAsync(cancellationToken)).ToDictionary(t => t.Id, t => t.Url);
        var queued = 0;
        foreach (var endpoint in notified)
        {
            var last = await store.LastNotifiedAsync(endpoint, anomaly.SeriesKey, cancellationToken);
            var now = time.GetUtcNow();
            var due = last > now ? last.Value : now;
            if (urls.TryGetValue(endpoint, out var url) && !await claims.ClaimAsync(url, payload.Id, payload.Serialize(), due, cancellationToken))
            {
                continue;
            }
            queued += await store.EnqueueAsync(endpoint, anomaly.Id, payload.Id, payload.Serialize(), due, cancellationToken) ? 1 : 0;
        }
        return queued;
    }

    private WebhookPayload Payload(AnomalyEvent anomaly, string type) =>
        WebhookPayload.Create(anomaly, type, link.BaseUrl, time.GetUtcNow()) with { Id = claims.KeyOf(anomaly, type) };

    private async Task<IEnumerable<WebhookTarget>> WantingAsync(AnomalyEvent anomaly, CancellationToken cancellationToken) =>
        (await endpoints.ListAsync(cancellationToken)).Where(t => t.Wants(anomaly));

    /// <summary>Now, or <see cref="WebhookOptions.MinSeriesInterval"/> after the endpoint's last notification of the series.</summary>
    private async Task<DateTimeOffset> SpacedAsync(long endpointId, string seriesKey, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var last = await store.LastNotifiedAsync(endpointId, seriesKey, cancellationToken);
        var earliest = last + options.Value.Webhooks.MinSeriesInterval;
        return earliest > now ? earliest.Value : now;
    }
}
