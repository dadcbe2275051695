using System.Net;

namespace MetaAnomaly.Bench.Faults;

/// <summary>200,000 distinct series pushed into the default series budget (16,384): every drop must be answered.</summary>
public sealed class SeriesFloodScenario : IFaultScenario
{
    private const int Series = 200_000, PerWrite = 10_000;

    public string Name => "200,000 series";

    public string Fault => $"{Series:N0} distinct series pushed, {PerWrite:N0} per write, one point each";

    public async Task<FaultOutcome> RunAsync(FaultContext context, CancellationToken cancellationToken)
    {
        await using var product = await DemoDashboard.StartSignedInAsync(context.NewStateFolder("flood"), new Dictionary<string, string>(), cancellationToken);
        long acknowledged = 0, dropped = 0;
        for (var first = 0; first < Series; first += PerWrite)
        {
            var (status, answer) = await product.WriteAsync(Lines.Steps("flood", PerWrite, 0, 1, 1, $"s{first}-"), cancellationToken);
            dropped += Lines.Dropped(answer);
            acknowledged += status == HttpStatusCode.NoContent ? PerWrite : PerWrite - Lines.Dropped(answer);
        }
        var held = (await product.HeldAsync(cancellationToken)).Points;
        var silent = Math.Max(0, Series - held - dropped);
        return new FaultOutcome("silent_drops", Series, acknowledged, held, Math.Max(0, acknowledged - held), silent, 0, $"{dropped:N0} answered as dropped");
    }
}
