using MetaAnomaly.Dashboard.Jobs;
using MetaAnomaly.Shared.Security;
using Microsoft.AspNetCore.Http.HttpResults;

namespace MetaAnomaly.Dashboard.Apis;

public static class JobsApi
{
    /// <summary>Quartz jobs: list with schedules, next fire and last run; recent runs; run now (admin).</summary>
    public static IEndpointRouteBuilder MapJobsApi(this IEndpointRouteBuilder app)
    {
        var jobs = app.MapGroup("/api/jobs").WithTags("Jobs").RequireAuthorization(AccessPolicies.Viewer);
        jobs.MapGet("/", ListAsync).WithSummary("Scheduled jobs with their schedule, next fire time and last run");
        jobs.MapGet("/{group}/{name}/runs", RunsAsync).WithSummary("A job's recent runs: what fired it, duration, result or error (query: count, max 200)");
        jobs.MapPost("/{group}/{name}/run", RunNowAsync).RequireAuthorization(AccessPolicies.Admin).DisableAntiforgery()
            .WithSummary("Run a job now (recorded as run now by the caller)");
        return app;
    }

    private static async Task<Ok<IReadOnlyList<JobSummary>>> ListAsync(JobCatalog catalog, CancellationToken cancellationToken) =>
        TypedResults.Ok(await catalog.ListAsync(cancellationToken));

    private static async Task<Ok<IReadOnlyList<JobRun>>> RunsAsync(string group, string name, IJobRunHistory runs, CancellationToken cancellationToken, int count = 50) =>
        TypedResults.Ok(await runs.RecentAsync(group, name, Math.Clamp(count, 1, 200), cancellationToken));

    private static async Task<Results<Accepted, ProblemHttpResult>> RunNowAsync(
        string group, string name, JobCatalog catalog, HttpContext context, CancellationToken cancellationToken) =>
        await catalog.RunNowAsync(group, name, context.User.Identity?.Name, cancellationToken)
            ? TypedResults.Accepted($"/api/jobs/{group}/{name}/runs")
            : TypedResults.Problem($"No job {group}.{name} is scheduled.", statusCode: StatusCodes.Status404NotFound);
}
