namespace MetaAnomaly.Bench.Faults;

/// <summary>
/// Faults end to end: each <see cref="IFaultScenario"/> against the whole Dashboard host as shipped, in processes of
/// its own on loopback (killed with SIGKILL where the scenario says so), and a real influxd (started here unless
/// METAANOMALY_TEST_INFLUXDB_URL is set). A table, then <c>RESULT faults</c> with one column per measure, summed over
/// the scenarios that report it. Arguments, all optional: <c>outage=00:10:00</c> (the webhook receiver's),
/// <c>backoff=00:05:00</c> (<c>Detection:Webhooks:MaxBackoff</c>), <c>only=TEXT</c> (the scenarios whose name contains it).
/// </summary>
public sealed class FaultsBenchmark : IBenchmark
{
    private static readonly string[] Learners = ["matching", "prototypical", "relation", "siamese"];

    private static readonly string[] Columns = ["push_lost", "pull_lost", "late_lost", "webhook_undelivered", "scoring_stopped"];

    public string Name => "faults";

    public string Description => "faults end to end: kill -9 after 204s and during a pull, a late host, 200,000 series, huge keys, a webhook receiver down, metric learners, hostile series";

    private static IFaultScenario[] Scenarios(IReadOnlyList<string> arguments)
    {
        string? Named(string name) => arguments.FirstOrDefault(a => a.StartsWith(name + "=", StringComparison.Ordinal))?[(name.Length + 1)..];
        var outage = Named("outage") is { } o ? TimeSpan.Parse(o, System.Globalization.CultureInfo.InvariantCulture) : TimeSpan.FromMinutes(10);
        var backoff = Named("backoff") is { } b ? TimeSpan.Parse(b, System.Globalization.CultureInfo.InvariantCulture) : TimeSpan.FromMinutes(5);
        IFaultScenario[] all =
        [
            new PushKillScenario(), new PullKillScenario(), new LateHostScenario(), new SeriesFloodScenario(), new HugeKeysScenario(),
            new WebhookOutageScenario(outage, backoff), .. Learners.Select(l => new LearnerScenario(l)), new HostileSeriesScenario(),
        ];
        return Named("only") is { } only ? all.Where(s => s.Name.Contains(only, StringComparison.Ordinal)).ToArray() : all;
    }

    public async Task<BenchmarkResult> RunAsync(IReadOnlyList<string> arguments, TextWriter output, CancellationToken cancellationToken)
    {
        var configured = Environment.GetEnvironmentVariable("METAANOMALY_TEST_INFLUXDB_URL");
        await using var influxd = configured is null ? await IngestInfluxd.StartAsync(cancellationToken) : null;
        var context = new FaultContext(influxd?.Url ?? new Uri(configured!.TrimEnd('/') + "/"));

        var table = new ResultTable("scenario", "fault", "sent", "acknowledged", "held after", "lost", "silent drops", "RSS growth MB", "note");
        var outcomes = new List<FaultOutcome>();
        foreach (var scenario in Scenarios(arguments))
        {
            output.WriteLine($"faults: {scenario.Name} ...");
            var outcome = await scenario.RunAsync(context, cancellationToken);
            outcomes.Add(outcome);
            table.AddRow(scenario.Name, scenario.Fault, outcome.Sent, outcome.Acknowledged, outcome.Held, outcome.Lost, outcome.SilentDrops,
                outcome.RssGrowthMegabytes.ToString("F0"), outcome.Detail);
        }
        output.WriteLine(table);
        var result = new BenchmarkResult();
        foreach (var column in Columns)
        {
            result.Add(column, outcomes.Where(o => o.Column == column).Sum(o => o.Lost), "F0");
        }
        return result
            .Add("silent_drops", outcomes.Sum(o => o.SilentDrops), "F0")
            .Add("rss_growth_mb", outcomes.Sum(o => o.RssGrowthMegabytes), "F0");
    }
}
