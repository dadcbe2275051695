namespace MetaAnomaly.Bench.Faults;

/// <summary>
/// Whether detection keeps going in a Dashboard host: waits until every series is scored (or the deadline), then
/// checks that each one's last scored point still moves over <see cref="Watch"/>. A series that never scored or
/// stopped counts as stopped, with the reason the host gives.
/// </summary>
internal static class ScoringProbe
{
    private static readonly TimeSpan Watch = TimeSpan.FromSeconds(15);

    public static async Task<ScoringReport> RunAsync(ProductProcess product, int expectedSeries, Func<string, bool> counted, TimeSpan deadline, CancellationToken cancellationToken)
    {
        var until = DateTime.UtcNow + deadline;
        var first = await CountedAsync(product, counted, cancellationToken);
        while ((first.Length < expectedSeries || first.Any(s => s.LastScored is null)) && DateTime.UtcNow < until)
        {
            await Task.Delay(TimeSpan.FromSeconds(2), cancellationToken);
            first = await CountedAsync(product, counted, cancellationToken);
        }
        await Task.Delay(Watch, cancellationToken);
        var second = (await CountedAsync(product, counted, cancellationToken)).ToDictionary(s => s.SeriesKey);
        var moving = first.Count(s => s.LastScored is { } before && second.TryGetValue(s.SeriesKey, out var after) && after.LastScored > before);
        var stopped = first.Where(s => !(s.LastScored is { } before && second.TryGetValue(s.SeriesKey, out var after) && after.LastScored > before))
            .Select(s => $"{s.SeriesKey}: {second.GetValueOrDefault(s.SeriesKey)?.Reason ?? s.Reason ?? "not scored"}")
            .ToArray();
        return new ScoringReport(Math.Max(expectedSeries, first.Length), moving, stopped);
    }

    private static async Task<DemoDashboard.SeriesStatus[]> CountedAsync(ProductProcess product, Func<string, bool> counted, CancellationToken cancellationToken) =>
        (await DemoDashboard.SeriesAsync(product, cancellationToken)).Where(s => counted(s.SeriesKey)).ToArray();
}

/// <summary>How many series were expected, how many were scored and kept being scored, and why the others were not.</summary>
internal sealed record ScoringReport(int Series, int Scoring, IReadOnlyList<string> Stopped)
{
    public int StoppedCount => Series - Scoring;
}
