namespace MetaAnomaly.Bench.Faults;

/// <summary>
/// Ingestion faults end to end: each <see cref="IFaultScenario"/> against real product processes (<see cref="FaultHost"/>,
/// killed with SIGKILL) on loopback and a real influxd (started here unless METAANOMALY_TEST_INFLUXDB_URL is set). A
/// table, then <c>RESULT faults</c> with one column per measure, summed over the scenarios that report it.
/// </summary>
public sealed class FaultsBenchmark : IBenchmark
{
    private static readonly IFaultScenario[] Scenarios =
        [new PushKillScenario(), new PullKillScenario(), new LateHostScenario(), new SeriesFloodScenario(), new HugeKeysScenario()];

    public string Name => "faults";

    public string Description => "ingestion faults end to end: kill -9 after 204s and during a pull, a late host, 200,000 series, huge keys";

    public async Task<BenchmarkResult> RunAsync(IReadOnlyList<string> arguments, TextWriter output, CancellationToken cancellationToken)
    {
        if (arguments.Count > 0 && arguments[0] == FaultHost.Argument)
        {
            await FaultHost.RunAsync(arguments.Skip(1).ToArray(), cancellationToken);
            return new BenchmarkResult();
        }
        var configured = Environment.GetEnvironmentVariable("METAANOMALY_TEST_INFLUXDB_URL");
        await using var influxd = configured is null ? await IngestInfluxd.StartAsync(cancellationToken) : null;
        var context = new FaultContext(influxd?.Url ?? new Uri(configured!.TrimEnd('/') + "/"));

        var table = new ResultTable("scenario", "fault", "sent", "acknowledged", "held after", "lost", "silent drops", "RSS growth MB", "note");
        var outcomes = new List<FaultOutcome>();
        foreach (var scenario in Scenarios)
        {
            output.WriteLine($"faults: {scenario.Name} ...");
            var outcome = await scenario.RunAsync(context, cancellationToken);
            outcomes.Add(outcome);
            table.AddRow(scenario.Name, scenario.Fault, outcome.Sent, outcome.Acknowledged, outcome.Held, outcome.Lost, outcome.SilentDrops,
                outcome.RssGrowthMegabytes.ToString("F0"), outcome.Detail);
        }
        output.WriteLine(table);
        var result = new BenchmarkResult();
        foreach (var column in new[] { "push_lost", "pull_lost", "late_lost" })
        {
            result.Add(column, outcomes.Where(o => o.Column == column).Sum(o => o.Lost), "F0");
        }
        return result
            .Add("silent_drops", outcomes.Sum(o => o.SilentDrops), "F0")
            .Add("rss_growth_mb", outcomes.Sum(o => o.RssGrowthMegabytes), "F0");
    }
}
