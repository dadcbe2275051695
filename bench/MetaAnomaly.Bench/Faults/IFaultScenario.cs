namespace MetaAnomaly.Bench.Faults;

/// <summary>One fault run end to end against a real product process; <see cref="FaultsBenchmark"/> runs each.</summary>
public interface IFaultScenario
{
    string Name { get; }

    /// <summary>What is done to the process, for the table.</summary>
    string Fault { get; }

    Task<FaultOutcome> RunAsync(FaultContext context, CancellationToken cancellationToken);
}

/// <summary>What a scenario measured; a RESULT column sums one of these over the scenarios.</summary>
/// <param name="Lost">Acknowledged points missing afterwards.</param>
/// <param name="SilentDrops">Points answered 204 that were not kept.</param>
public sealed record FaultOutcome(string Column, long Sent, long Acknowledged, long Held, long Lost, long SilentDrops, double RssGrowthMegabytes, string Detail);

/// <summary>What every scenario may use: the influxd started for the run, and a fresh folder per product process.</summary>
public sealed class FaultContext(Uri influx)
{
    public Uri Influx { get; } = influx;

    public string NewStateFolder(string name) => Directory.CreateTempSubdirectory($"metaanomaly-faults-{name}-").FullName;
}
