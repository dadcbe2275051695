using System.Net.Http.Json;
using System.Text.Json;

namespace MetaAnomaly.Bench.Faults;

/// <summary>
/// The whole Dashboard host on the demo with one learner selected for every cluster (<c>Forecasting:Learner</c>): the
/// metric learners once made every scoring tick throw, so that no series was scored. Every demo series must be scored
/// and keep being scored.
/// </summary>
public sealed class LearnerScenario(string learner) : IFaultScenario
{
    private static readonly TimeSpan Deadline = TimeSpan.FromMinutes(4);

    public string Name => $"learner {learner}";

    public string Fault => $"Forecasting:Learner={learner}, Dashboard host on the demo";

    public async Task<FaultOutcome> RunAsync(FaultContext context, CancellationToken cancellationToken)
    {
        await using var product = await DemoDashboard.StartAsync(context.NewStateFolder("learner-" + learner),
            new Dictionary<string, string> { ["Forecasting:Learner"] = learner }, cancellationToken);
        var report = await ScoringProbe.RunAsync(product, DemoDashboard.DemoSeries, _ => true, Deadline, cancellationToken);
        var clusters = await product.Http.GetFromJsonAsync<JsonElement[]>("api/clusters", cancellationToken) ?? [];
        var served = clusters.GroupBy(c => c.GetProperty("learner").GetString() ?? "untrained").Select(g => $"{g.Count()} {g.Key}");
        return new FaultOutcome("scoring_stopped", report.Series, report.Series, report.Scoring, report.StoppedCount, 0, 0,
            $"{report.Scoring} of {report.Series} series scored" + (report.Stopped.Count == 0 ? "" : "; not: " + string.Join("; ", report.Stopped))
            + $"; clusters: {string.Join(", ", served)}");
    }
}
