namespace MetaAnomaly.Bench.Faults;

/// <summary>Two hosts written to influxd as the pull follows: one on time, one five minutes behind it.</summary>
public sealed class LateHostScenario : IFaultScenario
{
    private const int Steps = 200, StepsPerRound = 10, RoundsBehind = 3;

    public string Name => "late host";

    public string Fault => $"a host writing 5 minutes behind the others ({Steps} points each), pulled every 200 ms";

    public async Task<FaultOutcome> RunAsync(FaultContext context, CancellationToken cancellationToken)
    {
        var database = await InfluxDatabase.CreateAsync(context.Influx, "faults_late", "", cancellationToken);
        await using var product = await DemoDashboard.StartSignedInAsync(context.NewStateFolder("late"), InfluxDatabase.PullSettings(context.Influx, database), cancellationToken);
        for (var round = 0; round < Steps / StepsPerRound + RoundsBehind; round++)
        {
            var lines = "";
            if (round < Steps / StepsPerRound)
            {
                lines += Lines.Steps("cpu", 1, round * StepsPerRound, StepsPerRound, Steps, "on-time-");
            }
            if (round >= RoundsBehind)
            {
                lines += Lines.Steps("cpu", 1, (round - RoundsBehind) * StepsPerRound, StepsPerRound, Steps, "late-");
            }
            await InfluxDatabase.WriteAsync(context.Influx, database, lines, cancellationToken);
            await Task.Delay(400, cancellationToken);
        }
        var held = (await product.WaitForAsync(h => h.Points >= 2 * Steps, TimeSpan.FromSeconds(10), cancellationToken)).Points;
        return new FaultOutcome("late_lost", 2 * Steps, 2 * Steps, held, Math.Max(0, 2 * Steps - held), 0, 0, "");
    }
}
