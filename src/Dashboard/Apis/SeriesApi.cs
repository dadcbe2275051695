using MetaAnomaly.Dashboard.Charts;
using MetaAnomaly.Detection.Preview;
using MetaAnomaly.Detection.Sensitivity;
using MetaAnomaly.Forecasting.ReadModel;
using MetaAnomaly.Ingest.Status;
using MetaAnomaly.Shared.Forecasts;
using MetaAnomaly.Shared.Security;
using MetaAnomaly.Shared.Series;
using Microsoft.AspNetCore.Http.HttpResults;

namespace MetaAnomaly.Dashboard.Apis;

/// <summary>A series as <c>GET /api/series</c> lists it: what ingestion knows and its model state.</summary>
public sealed record SeriesListing(string Key, string Measurement, IReadOnlyDictionary<string, string> Tags, string Field, SeriesInfo Info, SeriesModelState Model);

public static class SeriesApi
{
    /// <summary>Series (list, filter, chart data), clusters and ingestion status. Viewer policy.</summary>
    public static IEndpointRouteBuilder MapSeriesApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api").RequireAuthorization(AccessPolicies.Viewer);
        api.MapGet("/series", ListSeries).WithTags("Series")
            .WithSummary("Series with their step, extent and model state (query: search, measurement, field, tag=name=value)");
        api.MapGet("/series/chart", ChartAsync).WithTags("Series")
            .WithSummary("A series' chart over a range: actual, one-step forecast and band, forecast ahead, anomalies (query: key, from, to)");
        api.MapGet("/clusters", (IForecastingReadModel forecasting) => TypedResults.Ok(forecasting.Clusters())).WithTags("Clusters")
            .WithSummary("Clusters with their period, members, learner and model version");
        api.MapGet("/clusters/{id}", Cluster).WithTags("Clusters").WithSummary("One cluster");
        api.MapGet("/clusters/{id}/preview", ClusterPreviewAsync).WithTags("Clusters")
            .WithSummary("What would have alerted had the cluster this sensitivity: each member at the sensitivity it would apply, alerts per UTC day (query: sensitivity, from, to)");
        api.MapGet("/adaptation", Adaptation).WithTags("Clusters").WithSummary("The last and next daily adaptation, and what runs now");
        api.MapGet("/ingest/status", (IIngestStatus status) => TypedResults.Ok(status.Current())).WithTags("Ingest")
            .WithSummary("Ingestion: sources, points per second, lag, InfluxDB state");
        return app;
    }

    /// <summary>Every series; <c>search</c> matches any part of the key, <c>measurement</c> and <c>field</c> exactly, <c>tag</c> as <c>name=value</c>.</summary>
    private static Ok<SeriesListing[]> ListSeries(
        ISeriesBuffers buffers, IForecastingReadModel forecasting, string? search = null, string? measurement = null, string? field = null, string? tag = null)
    {
        var (tagName, tagValue) = tag?.Split('=', 2) is [var name, var value] ? (name, value) : (null, null);
        var listed = buffers.ListSeries()
            .Where(s => search is null || s.Key.ToString().Contains(search, StringComparison.OrdinalIgnoreCase))
            .Where(s => measurement is null || s.Key.Measurement == measurement)
            .Where(s => field is null || s.Key.Field == field)
            .Where(s => tagName is null || s.Key.Tag(tagName) == tagValue)
            .OrderBy(s => s.Key)
            .Select(s => new SeriesListing(s.Key.ToString(), s.Key.Measurement, s.Key.Tags.ToDictionary(), s.Key.Field, s, forecasting.StateOf(s.Key)))
            .ToArray();
        return TypedResults.Ok(listed);
    }

    /// <summary>Chart data of one series over [from, to] (default: the last day of its data), downsampled to Dashboard:ChartMaxPoints.</summary>
    private static async Task<Results<Ok<SeriesChartModel>, ValidationProblem, NotFound>> ChartAsync(
        string key, ISeriesBuffers buffers, SeriesChartBuilder charts, CancellationToken cancellationToken, DateTimeOffset? from = null, DateTimeOffset? to = null)
    {
        if (!SeriesKey.TryParse(key, out var seriesKey) || seriesKey is null)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["key"] = ["Not a series key (measurement[,tag=value...]#field)."] });
        }
        if (buffers.Describe(seriesKey) is not { LastTimestamp: { } last })
        {
            return TypedResults.NotFound();
        }
        var end = to ?? last;
        var start = from ?? end - TimeSpan.FromDays(1);
        if (start > end)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["from"] = ["'from' is after 'to'."] });
        }
        return TypedResults.Ok(await charts.BuildAsync(seriesKey, start, end, cancellationToken));
    }

    private static Results<Ok<ClusterSummary>, NotFound> Cluster(string id, IForecastingReadModel forecasting) =>
        forecasting.Cluster(id) is { } cluster ? TypedResults.Ok(cluster) : TypedResults.NotFound();

    /// <summary>The cluster preview over [from, to] (default: the last 7 days of its members' data).</summary>
    private static async Task<Results<Ok<ClusterAlertPreviewResult>, ValidationProblem, NotFound>> ClusterPreviewAsync(
        string id, AlertSensitivity sensitivity, IForecastingReadModel forecasting, ISeriesBuffers buffers, AlertPreview preview,
        TimeProvider time, CancellationToken cancellationToken, DateTimeOffset? from = null, DateTimeOffset? to = null)
    {
        if (forecasting.Cluster(id) is not { } cluster)
        {
            return TypedResults.NotFound();
        }
        var end = to ?? cluster.Members.Select(m => buffers.Describe(m)?.LastTimestamp).Max() ?? time.GetUtcNow();
        var start = from ?? end - TimeSpan.FromDays(7);
        if (start >= end)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["from"] = ["'from' is not before 'to'."] });
        }
        return TypedResults.Ok(await preview.RunClusterAsync(cluster.Id, cluster.Members, sensitivity, start, end, cancellationToken));
    }

    private static Ok<AdaptationStatus> Adaptation(IForecastingReadModel forecasting) =>
        TypedResults.Ok(new AdaptationStatus(forecasting.LastAdaptation, forecasting.NextScheduledAdaptation, forecasting.CurrentActivity, forecasting.AvailableLearners));
}

/// <summary>The forecasting core's schedule and progress, as <c>GET /api/adaptation</c> returns it.</summary>
public sealed record AdaptationStatus(AdaptationRunSummary? Last, DateTimeOffset? Next, ForecastingActivity? Activity, IReadOnlyList<string> Learners);
