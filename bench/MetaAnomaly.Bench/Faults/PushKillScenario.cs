using System.Net;

namespace MetaAnomaly.Bench.Faults;

/// <summary>100,000 points pushed to the Dashboard host as shipped and answered 204, then kill -9 at once; counted after the restart.</summary>
public sealed class PushKillScenario : IFaultScenario
{
    private const int Hosts = 1000, Steps = 100, StepsPerWrite = 10;

    public string Name => "push kill -9";

    public string Fault => $"{Hosts * Steps:N0} points pushed (204), kill -9 right after, restart";

    public async Task<FaultOutcome> RunAsync(FaultContext context, CancellationToken cancellationToken)
    {
        var folder = context.NewStateFolder("push");
        long acknowledged = 0;
        await using (var product = await DemoDashboard.StartSignedInAsync(folder, new Dictionary<string, string>(), cancellationToken))
        {
            for (var step = 0; step < Steps; step += StepsPerWrite)
            {
                var (status, _) = await product.WriteAsync(Lines.Steps("cpu", Hosts, step, StepsPerWrite, Steps), cancellationToken);
                acknowledged += status == HttpStatusCode.NoContent ? Hosts * StepsPerWrite : 0;
            }
            await product.Kill();
        }
        await using var restarted = await DemoDashboard.StartSignedInAsync(folder, new Dictionary<string, string>(), cancellationToken);
        var held = (await restarted.HeldAsync(cancellationToken)).Points;
        return new FaultOutcome("push_lost", Hosts * Steps, acknowledged, held, Math.Max(0, acknowledged - held), 0, 0, "");
    }
}
