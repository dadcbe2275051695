namespace MetaAnomaly.Bench.Faults;

/// <summary>15 writes, each one line whose series name is 20 MB: memory must not follow the names.</summary>
public sealed class HugeKeysScenario : IFaultScenario
{
    private const int Writes = 15, NameBytes = 20 * 1024 * 1024;

    public string Name => "15 huge keys";

    public string Fault => $"{Writes} writes of one line with a distinct {NameBytes / 1024 / 1024} MB series name";

    public async Task<FaultOutcome> RunAsync(FaultContext context, CancellationToken cancellationToken)
    {
        await using var product = await DemoDashboard.StartSignedInAsync(context.NewStateFolder("keys"), new Dictionary<string, string>(), cancellationToken);
        await product.WriteAsync(Lines.Steps("warmup", 10, 0, 10, 10), cancellationToken);
        var before = product.RssMegabytes();
        long refused = 0;
        for (var write = 0; write < Writes; write++)
        {
            var (status, _) = await product.WriteAsync($"huge,host={(char)('a' + write)}{new string('x', NameBytes)} value=1 {Lines.Now}\n", cancellationToken);
            refused += (int)status == 400 ? 1 : 0;
        }
        var growth = product.RssMegabytes() - before;
        var held = (await product.HeldAsync(cancellationToken)).Series;
        return new FaultOutcome("rss_growth_mb", Writes, Writes - refused, held - 10, 0, Math.Max(0, Writes - refused - (held - 10)), growth,
            $"{refused} refused with 400, RSS {before:F0} MB before");
    }
}
