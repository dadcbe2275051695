namespace MetaAnomaly.Forecasting.ReadModel;

/// <summary>One adaptation run (daily job, start-up, catch-up or on demand).</summary>
/// <param name="Trigger">schedule, startup, catch-up or on-demand.</param>
/// <param name="ClusterId">The one cluster adapted, or null for all.</param>
/// <param name="Errors">One line per cluster or series that failed (the run goes on with the others).</param>
public sealed record AdaptationRunSummary(
    string Trigger,
    string? ClusterId,
    DateTimeOffset StartedAt,
    TimeSpan Duration,
    int SeriesAdapted,
    int ClustersAdapted,
    IReadOnlyList<string> Errors);
