namespace MetaAnomaly.Bench.Faults;

/// <summary>80,000 points of history in the real influxd; kill -9 while the first pull reads them; restart and resume.</summary>
public sealed class PullKillScenario : IFaultScenario
{
    private const int Hosts = 800, Steps = 100;

    public string Name => "pull kill -9";

    public string Fault => $"kill -9 during the historical pull of {Hosts * Steps:N0} points from influxd, restart";

    public async Task<FaultOutcome> RunAsync(FaultContext context, CancellationToken cancellationToken)
    {
        var database = await InfluxDatabase.CreateAsync(context.Influx, "faults_pull", Lines.Steps("cpu", Hosts, 0, Steps, Steps), cancellationToken);
        var settings = InfluxDatabase.PullSettings(context.Influx, database);
        var folder = context.NewStateFolder("pull");
        long beforeKill;
        await using (var product = await ProductProcess.StartAsync(folder, settings, cancellationToken))
        {
            beforeKill = (await product.WaitForAsync(h => h.Points > 0, TimeSpan.FromSeconds(60), cancellationToken)).Points;
            await product.Kill();
        }
        await using var restarted = await ProductProcess.StartAsync(folder, settings, cancellationToken);
        var held = (await restarted.WaitForAsync(h => h.Points >= Hosts * Steps, TimeSpan.FromSeconds(60), cancellationToken)).Points;
        return new FaultOutcome("pull_lost", Hosts * Steps, Hosts * Steps, held, Math.Max(0, Hosts * Steps - held), 0, 0,
            $"{beforeKill:N0} held at the kill");
    }
}
