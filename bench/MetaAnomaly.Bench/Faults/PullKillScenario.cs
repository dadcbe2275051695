namespace MetaAnomaly.Bench.Faults;

/// <summary>
/// 80,000 points of history in the real influxd; the Dashboard host as shipped pulls them and is killed with -9 as soon
/// as its ingest counter on <c>/metrics</c> shows pulled points in its write-ahead log (no sign-in before the kill: it
/// would come after the pull). Restarted with the pull off, it must hold at least what the counter showed (what the
/// kill left); restarted again with the pull on, it must resume and hold every point. The counter also counts the
/// grace window's re-reads, so what it showed is capped at the distinct points before it is compared.
/// </summary>
public sealed class PullKillScenario : IFaultScenario
{
    private const int Hosts = 800, Steps = 500;
    private const string Source = "influx-pull";

    public string Name => "pull kill -9";

    public string Fault => $"kill -9 during the historical pull of {Hosts * Steps:N0} points from influxd, restart";

    public async Task<FaultOutcome> RunAsync(FaultContext context, CancellationToken cancellationToken)
    {
        var database = await InfluxDatabase.CreateAsync(context.Influx, "faults_pull", Lines.Steps("cpu", Hosts, 0, Steps, Steps), cancellationToken);
        var settings = InfluxDatabase.PullSettings(context.Influx, database);
        var folder = context.NewStateFolder("pull");
        long logged;
        await using (var product = await DemoDashboard.StartShippedAsync(folder, settings, cancellationToken))
        {
            var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
            while ((logged = await product.IngestedAsync(Source, cancellationToken)) == 0 && DateTime.UtcNow < deadline)
            {
                await Task.Delay(10, cancellationToken);
            }
            await product.Kill();
        }
        long atKill;
        await using (var replayed = await DemoDashboard.StartSignedInAsync(folder, new Dictionary<string, string>(settings) { ["Ingest:Pull:Enabled"] = "false" }, cancellationToken))
        {
            atKill = (await replayed.HeldAsync(cancellationToken)).Points;
        }
        await using var resumed = await DemoDashboard.StartSignedInAsync(folder, settings, cancellationToken);
        var held = (await resumed.WaitForAsync(h => h.Points >= Hosts * Steps, TimeSpan.FromSeconds(60), cancellationToken)).Points;
        var lost = Math.Max(0, Hosts * Steps - held) + Math.Max(0, Math.Min(logged, Hosts * Steps) - atKill);
        return new FaultOutcome("pull_lost", Hosts * Steps, Hosts * Steps, held, lost, 0, 0,
            $"{logged:N0} in the log at the last scrape before the kill, {atKill:N0} held at the kill (restarted with the pull off)"
            + (atKill >= Hosts * Steps ? "; the pull had ended: not a mid-pull kill" : ""));
    }
}
