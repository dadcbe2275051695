using MetaAnomaly.Detection.Events;
using MetaAnomaly.Detection.Feedback;
using MetaAnomaly.Detection.Muting;
using MetaAnomaly.Detection.Preview;
using MetaAnomaly.Detection.Sensitivity;
using MetaAnomaly.Detection.Services;
using MetaAnomaly.Detection.Storage;
using MetaAnomaly.Detection.Webhooks;
using MetaAnomaly.Shared.Security;
using MetaAnomaly.Shared.Series;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace MetaAnomaly.Detection.Apis;

/// <summary>
/// Detection's HTTP API under <c>/api</c>: anomalies (list, one, feedback, acknowledge, snooze, per-cluster
/// precision), maintenance windows, sensitivities per series and cluster and the alert preview, per-series detection
/// status and scores, and webhooks (CRUD, test, delivery log, replay). Reads need the Viewer policy, writes the Admin
/// policy; the host defines both.
/// </summary>
public static class DetectionApi
{
    public const string TotalCountHeader = "X-Total-Count";

    public static RouteGroupBuilder MapDetectionApi(this IEndpointRouteBuilder endpoints)
    {
        var api = endpoints.MapGroup("/api").WithTags("Detection");

        api.MapGet("/anomalies", ListAnomaliesAsync).RequireAuthorization(AccessPolicies.Viewer)
            .WithSummary("Anomalies, paged and filtered (series glob, cluster, severity, time, open, feedback); the total in X-Total-Count");
        api.MapGet("/anomalies/{id:long}", GetAnomalyAsync).RequireAuthorization(AccessPolicies.Viewer)
            .WithSummary("One anomaly with its explanation, 0-100 score, severity and lifecycle");
        api.MapPost("/anomalies/{id:long}/feedback", SubmitFeedbackAsync).RequireAuthorization(AccessPolicies.Admin)
            .WithSummary("Confirm or dismiss an anomaly, or clear the verdict (None)");
        api.MapPost("/anomalies/{id:long}/acknowledge", AcknowledgeAsync).RequireAuthorization(AccessPolicies.Admin)
            .WithSummary("Acknowledge an anomaly: who and when are recorded, its escalations are no longer sent");
        api.MapPost("/anomalies/{id:long}/snooze", SnoozeAsync).RequireAuthorization(AccessPolicies.Admin)
            .WithSummary("Hold an anomaly's notifications back for some hours (query: hours, 1 to 168)");
        api.MapGet("/maintenance-windows", ListMaintenanceWindowsAsync).RequireAuthorization(AccessPolicies.Viewer)
            .WithSummary("Maintenance windows: events they cover are stored but not sent");
        api.MapPost("/maintenance-windows", CreateMaintenanceWindowAsync).RequireAuthorization(AccessPolicies.Admin)
            .WithSummary("Add a one-off or recurring maintenance window, global, per series pattern or per cluster");
        api.MapDelete("/maintenance-windows/{id:long}", DeleteMaintenanceWindowAsync).RequireAuthorization(AccessPolicies.Admin)
            .WithSummary("Remove a maintenance window");
        api.MapGet("/anomalies/precision", PrecisionAsync).RequireAuthorization(AccessPolicies.Viewer)
            .WithSummary("Per cluster: confirmed and dismissed anomalies, precision, and the thresholds feedback set");
        api.MapGet("/detection/series", SeriesStatus).RequireAuthorization(AccessPolicies.Viewer)
            .WithSummary("Every series' detection status: scored or not, and why not");
        api.MapGet("/detection/scores", ScoresAsync).RequireAuthorization(AccessPolicies.Viewer)
            .WithSummary("A series' stored per-point scores (query: series, from, to)");
        api.MapGet("/detection/sensitivities", ListSensitivities).RequireAuthorization(AccessPolicies.Viewer)
            .WithSummary("The sensitivities operators set per series and per cluster (a series' own wins; unset is Medium)");
        api.MapPut("/detection/sensitivities/series", SetSeriesSensitivityAsync).RequireAuthorization(AccessPolicies.Admin)
            .WithSummary("Set a series' sensitivity (query: key; body: Low, Medium or High)");
        api.MapDelete("/detection/sensitivities/series", ClearSeriesSensitivityAsync).RequireAuthorization(AccessPolicies.Admin)
            .WithSummary("Remove a series' sensitivity: it follows its cluster again (query: key)");
        api.MapPut("/detection/sensitivities/clusters/{clusterId}", SetClusterSensitivityAsync).RequireAuthorization(AccessPolicies.Admin)
            .WithSummary("Set a cluster's sensitivity for its series without their own (body: Low, Medium or High)");
        api.MapDelete("/detection/sensitivities/clusters/{clusterId}", ClearClusterSensitivityAsync).RequireAuthorization(AccessPolicies.Admin)
            .WithSummary("Remove a cluster's sensitivity: its series use the default (Medium)");
        api.MapGet("/detection/preview", PreviewAsync).RequireAuthorization(AccessPolicies.Viewer)
            .WithSummary("What would have alerted: replay a series' stored points through the detector at a sensitivity (query: key, sensitivity, from, to)");

        api.MapGet("/webhooks", ListWebhooksAsync).RequireAuthorization(AccessPolicies.Admin)
            .WithSummary("Webhook endpoints (secrets never shown)");
        api.MapGet("/webhooks/{id:long}", GetWebhookAsync).RequireAuthorization(AccessPolicies.Admin).WithSummary("One webhook endpoint");
        api.MapPost("/webhooks", CreateWebhookAsync).RequireAuthorization(AccessPolicies.Admin)
            .WithSummary("Add a webhook endpoint (URL, optional signing secret and headers, minimum severity, series filter)");
        api.MapPut("/webhooks/{id:long}", UpdateWebhookAsync).RequireAuthorization(AccessPolicies.Admin)
            .WithSummary("Change a webhook endpoint (not one from configuration)");
        api.MapDelete("/webhooks/{id:long}", DeleteWebhookAsync).RequireAuthorization(AccessPolicies.Admin)
            .WithSummary("Remove a webhook endpoint and its delivery log (not one from configuration)");
        api.MapPost("/webhooks/{id:long}/test", TestWebhookAsync).RequireAuthorization(AccessPolicies.Admin)
            .WithSummary("Send a sample payload to the endpoint now and return the attempt");
        api.MapGet("/webhooks/{id:long}/deliveries", DeliveriesAsync).RequireAuthorization(AccessPolicies.Admin)
            .WithSummary("The endpoint's latest deliveries, newest first (query: state, limit)");
        api.MapGet("/webhooks/deliveries/{deliveryId:long}/attempts", AttemptsAsync).RequireAuthorization(AccessPolicies.Admin)
            .WithSummary("Every HTTP attempt of one delivery");
        api.MapPost("/webhooks/deliveries/{deliveryId:long}/replay", ReplayAsync).RequireAuthorization(AccessPolicies.Admin)
            .WithSummary("Queue a dead-lettered delivery again");
        return api;
    }

    /// <summary>
    /// The events as a JSON array (newest first by default); the total that matched is in <c>X-Total-Count</c>.
    /// Query: series (exact, or a glob with *: cpu* a prefix, *rds* a substring), cluster, minSeverity, from, to, open, feedback, sort
    /// (start|end|severity|score|probability|series), desc (default true), page (1-based), pageSize (max 1000).
    /// </summary>
    internal static async Task<Results<Ok<IReadOnlyList<AnomalyEvent>>, ValidationProblem>> ListAnomaliesAsync(
        HttpResponse response, IAnomalyDirectory anomalies, CancellationToken cancellationToken,
        string? series = null, string? cluster = null, AnomalySeverity? minSeverity = null,
        DateTimeOffset? from = null, DateTimeOffset? to = null, bool? open = null, AnomalyFeedbackKind? feedback = null,
        AnomalySort sort = AnomalySort.Start, bool desc = true, int page = 1, int pageSize = AnomalyQuery.Defaults.PageSize)
    {
        var errors = new Dictionary<string, string[]>();
        if (page < 1)
        {
            errors[nameof(page)] = ["Pages start at 1."];
        }
        if (pageSize is < 1 or > AnomalyQuery.Defaults.MaxPageSize)
        {
            errors[nameof(pageSize)] = [$"Between 1 and {AnomalyQuery.Defaults.MaxPageSize}."];
        }
        if (from > to)
        {
            errors[nameof(from)] = ["'from' is after 'to'."];
        }
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }
        var result = await anomalies.ListAsync(new AnomalyQuery(series, cluster, minSeverity, from, to, open, feedback, sort, desc, page, pageSize), cancellationToken);
        response.Headers[TotalCountHeader] = result.Total.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return TypedResults.Ok(result.Items);
    }

    internal static async Task<Results<Ok<AnomalyEvent>, NotFound>> GetAnomalyAsync(long id, IAnomalyDirectory anomalies, CancellationToken cancellationToken) =>
        await anomalies.GetAsync(id, cancellationToken) is { } anomaly ? TypedResults.Ok(anomaly) : TypedResults.NotFound();

    internal static async Task<Results<Ok<AnomalyEvent>, NotFound, ValidationProblem>> SubmitFeedbackAsync(
        long id, FeedbackRequest request, IAnomalyDirectory anomalies, HttpContext context, CancellationToken cancellationToken)
    {
        if (!Enum.IsDefined(request.Verdict))
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { [nameof(request.Verdict)] = ["Confirmed, Dismissed or None (clears it)."] });
        }
        var updated = await anomalies.SubmitFeedbackAsync(id, request.Verdict, request.Comment, context.User.Identity?.Name, cancellationToken);
        return updated is null ? TypedResults.NotFound() : TypedResults.Ok(updated);
    }

    internal static async Task<Results<Ok<AnomalyEvent>, NotFound>> AcknowledgeAsync(
        long id, IAnomalyDirectory anomalies, HttpContext context, CancellationToken cancellationToken) =>
        await anomalies.AcknowledgeAsync(id, context.User.Identity?.Name, cancellationToken) is { } anomaly ? TypedResults.Ok(anomaly) : TypedResults.NotFound();

    internal static async Task<Results<Ok<AnomalyEvent>, NotFound, ValidationProblem>> SnoozeAsync(
        long id, double hours, IAnomalyDirectory anomalies, TimeProvider time, CancellationToken cancellationToken)
    {
        if (hours is not (>= 1 and <= 168))
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { [nameof(hours)] = ["Between 1 and 168."] });
        }
        return await anomalies.SnoozeAsync(id, TimeSpan.FromHours(hours), time.GetUtcNow(), cancellationToken) is { } anomaly
            ? TypedResults.Ok(anomaly)
            : TypedResults.NotFound();
    }

    internal static async Task<Ok<IReadOnlyList<MaintenanceWindow>>> ListMaintenanceWindowsAsync(MaintenanceWindowStore windows, CancellationToken cancellationToken) =>
        TypedResults.Ok(await windows.ListAsync(cancellationToken));

    internal static async Task<Results<Created<MaintenanceWindow>, ValidationProblem>> CreateMaintenanceWindowAsync(
        MaintenanceWindowRequest request, MaintenanceWindowStore windows, HttpContext context, CancellationToken cancellationToken)
    {
        if (request.Validate() is { Count: > 0 } errors)
        {
            return TypedResults.ValidationProblem(errors);
        }
        var created = await windows.CreateAsync(request, context.User.Identity?.Name, cancellationToken);
        return TypedResults.Created($"/api/maintenance-windows/{created.Id}", created);
    }

    internal static async Task<Results<NoContent, NotFound>> DeleteMaintenanceWindowAsync(long id, MaintenanceWindowStore windows, CancellationToken cancellationToken) =>
        await windows.DeleteAsync(id, cancellationToken) ? TypedResults.NoContent() : TypedResults.NotFound();

    internal static async Task<Ok<IReadOnlyList<ClusterPrecision>>> PrecisionAsync(FeedbackService feedback, CancellationToken cancellationToken) =>
        TypedResults.Ok(await feedback.PrecisionByClusterAsync(cancellationToken));

    internal static Ok<IReadOnlyList<SeriesDetectionStatus>> SeriesStatus(IScoringCycle cycle) => TypedResults.Ok(cycle.Statuses);

    internal static async Task<Results<Ok<IReadOnlyList<Scoring.ScoredPoint>>, ValidationProblem>> ScoresAsync(
        string series, DateTimeOffset from, DateTimeOffset to, IAnomalyStore store, CancellationToken cancellationToken)
    {
        if (ParseKey(series) is not { } key)
        {
            return NotASeriesKey(nameof(series));
        }
        return TypedResults.Ok(await store.ScoresAsync(key, from, to, cancellationToken));
    }

    internal static Ok<IReadOnlyList<SensitivitySetting>> ListSensitivities(SensitivityStore sensitivities) => TypedResults.Ok(sensitivities.All);

    internal static async Task<Results<Ok<SensitivitySetting>, ValidationProblem>> SetSeriesSensitivityAsync(
        string key, SensitivityRequest request, SensitivityStore sensitivities, HttpContext context, CancellationToken cancellationToken)
    {
        if (ParseKey(key) is not { } series)
        {
            return NotASeriesKey(nameof(key));
        }
        if (!Enum.IsDefined(request.Sensitivity))
        {
            return NotASensitivity();
        }
        return TypedResults.Ok(await sensitivities.SetAsync(SensitivityScope.Series, series.ToString(), request.Sensitivity, context.User.Identity?.Name, cancellationToken));
    }

    internal static async Task<Results<NoContent, NotFound, ValidationProblem>> ClearSeriesSensitivityAsync(
        string key, SensitivityStore sensitivities, CancellationToken cancellationToken)
    {
        if (ParseKey(key) is not { } series)
        {
            return NotASeriesKey(nameof(key));
        }
        return await sensitivities.ClearAsync(SensitivityScope.Series, series.ToString(), cancellationToken) ? TypedResults.NoContent() : TypedResults.NotFound();
    }

    internal static async Task<Results<Ok<SensitivitySetting>, ValidationProblem>> SetClusterSensitivityAsync(
        string clusterId, SensitivityRequest request, SensitivityStore sensitivities, HttpContext context, CancellationToken cancellationToken) =>
        Enum.IsDefined(request.Sensitivity)
            ? TypedResults.Ok(await sensitivities.SetAsync(SensitivityScope.Cluster, clusterId, request.Sensitivity, context.User.Identity?.Name, cancellationToken))
            : NotASensitivity();

    internal static async Task<Results<NoContent, NotFound>> ClearClusterSensitivityAsync(
        string clusterId, SensitivityStore sensitivities, CancellationToken cancellationToken) =>
        await sensitivities.ClearAsync(SensitivityScope.Cluster, clusterId, cancellationToken) ? TypedResults.NoContent() : TypedResults.NotFound();

    internal static async Task<Results<Ok<AlertPreviewResult>, ValidationProblem>> PreviewAsync(
        string key, AlertSensitivity sensitivity, DateTimeOffset from, DateTimeOffset to, AlertPreview preview, CancellationToken cancellationToken)
    {
        if (ParseKey(key) is not { } series)
        {
            return NotASeriesKey(nameof(key));
        }
        if (from >= to)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { [nameof(from)] = ["'from' is not before 'to'."] });
        }
        return TypedResults.Ok(await preview.RunAsync(series, sensitivity, from, to, cancellationToken));
    }

    private static SeriesKey? ParseKey(string? text) => SeriesKey.TryParse(text, out var key) ? key : null;

    private static ValidationProblem NotASeriesKey(string parameter) =>
        TypedResults.ValidationProblem(new Dictionary<string, string[]> { [parameter] = ["Not a series key (measurement[,tag=value...]#field)."] });

    private static ValidationProblem NotASensitivity() =>
        TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["sensitivity"] = ["Low, Medium or High."] });

    internal static async Task<Ok<WebhookEndpoint[]>> ListWebhooksAsync(WebhookEndpointStore store, CancellationToken cancellationToken) =>
        TypedResults.Ok((await store.ListAsync(cancellationToken)).Select(t => t.ToPublic()).ToArray());

    internal static async Task<Results<Ok<WebhookEndpoint>, NotFound>> GetWebhookAsync(long id, WebhookEndpointStore store, CancellationToken cancellationToken) =>
        await store.GetAsync(id, cancellationToken) is { } target ? TypedResults.Ok(target.ToPublic()) : TypedResults.NotFound();

    internal static async Task<Results<Created<WebhookEndpoint>, ValidationProblem, Conflict<string>>> CreateWebhookAsync(
        WebhookEndpointRequest request, WebhookEndpointStore store, CancellationToken cancellationToken)
    {
        if (request.Validate() is { Count: > 0 } errors)
        {
            return TypedResults.ValidationProblem(errors);
        }
        return await store.CreateAsync(request, cancellationToken) is { } created
            ? TypedResults.Created($"/api/webhooks/{created.Id}", created.ToPublic())
            : TypedResults.Conflict($"A webhook named '{request.Name}' exists.");
    }

    internal static async Task<Results<Ok<WebhookEndpoint>, NotFound, ValidationProblem, Conflict<string>>> UpdateWebhookAsync(
        long id, WebhookEndpointRequest request, WebhookEndpointStore store, CancellationToken cancellationToken)
    {
        if (request.Validate() is { Count: > 0 } errors)
        {
            return TypedResults.ValidationProblem(errors);
        }
        if (await store.GetAsync(id, cancellationToken) is not { } existing)
        {
            return TypedResults.NotFound();
        }
        if (existing.FromConfiguration)
        {
            return TypedResults.Conflict("This webhook comes from configuration: change it there.");
        }
        await store.UpdateAsync(id, request, cancellationToken);
        return TypedResults.Ok((await store.GetAsync(id, cancellationToken))!.ToPublic());
    }

    internal static async Task<Results<NoContent, NotFound, Conflict<string>>> DeleteWebhookAsync(
        long id, WebhookEndpointStore store, IWebhookManagement webhooks, CancellationToken cancellationToken)
    {
        if (await store.GetAsync(id, cancellationToken) is not { } existing)
        {
            return TypedResults.NotFound();
        }
        if (existing.FromConfiguration)
        {
            return TypedResults.Conflict("This webhook comes from configuration: remove it there.");
        }
        await webhooks.DeleteAsync(id, cancellationToken);
        return TypedResults.NoContent();
    }

    internal static async Task<Results<Ok<DeliveryAttempt>, NotFound>> TestWebhookAsync(long id, WebhookDispatcher dispatcher, CancellationToken cancellationToken) =>
        await dispatcher.SendTestAsync(id, cancellationToken) is { } attempt ? TypedResults.Ok(attempt) : TypedResults.NotFound();

    internal static async Task<Results<Ok<IReadOnlyList<WebhookDelivery>>, NotFound>> DeliveriesAsync(
        long id, WebhookEndpointStore endpoints, WebhookDeliveryStore store, CancellationToken cancellationToken, DeliveryState? state = null, int limit = 100)
    {
        if (await endpoints.GetAsync(id, cancellationToken) is null)
        {
            return TypedResults.NotFound();
        }
        return TypedResults.Ok(await store.DeliveriesAsync(id, state, Math.Clamp(limit, 1, 1000), cancellationToken));
    }

    internal static async Task<Results<Ok<IReadOnlyList<DeliveryAttempt>>, NotFound>> AttemptsAsync(long deliveryId, WebhookDeliveryStore store, CancellationToken cancellationToken) =>
        await store.DeliveryAsync(deliveryId, cancellationToken) is null
            ? TypedResults.NotFound()
            : TypedResults.Ok(await store.AttemptsAsync(deliveryId, cancellationToken));

    internal static async Task<Results<Accepted, NotFound, Conflict<string>>> ReplayAsync(long deliveryId, WebhookDeliveryStore store, CancellationToken cancellationToken)
    {
        if (await store.DeliveryAsync(deliveryId, cancellationToken) is null)
        {
            return TypedResults.NotFound();
        }
        return await store.ReplayAsync(deliveryId, cancellationToken)
            ? TypedResults.Accepted($"/api/webhooks/deliveries/{deliveryId}/attempts")
            : TypedResults.Conflict("Only dead-lettered deliveries can be replayed.");
    }
}

/// <summary>The sensitivity to set on a series or a cluster.</summary>
public sealed record SensitivityRequest(AlertSensitivity Sensitivity);

/// <summary>An operator's verdict on an anomaly; <see cref="AnomalyFeedbackKind.None"/> clears the earlier one.</summary>
public sealed record FeedbackRequest(AnomalyFeedbackKind Verdict, string? Comment = null);
