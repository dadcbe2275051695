using System.Text;

namespace MetaAnomaly.Bench;

/// <summary>
/// Where one push request's time goes: the stages of <see cref="IngestProfile"/> in microseconds per request, then the
/// whole request over HTTP on loopback (one connection, the host of <c>bench ingest</c>) and the same bodies posted to
/// an endpoint that only reads them, each with the process's CPU per request (server and client, both in this
/// process) and its GC pauses. CPU shares hold on a loaded machine where rates do not. Arguments:
/// <c>[hosts=1000] [steps=200] [batch=5000] [rounds=5]</c>.
/// </summary>
public sealed class IngestProfileBenchmark : IBenchmark
{
    public string Name => "ingest-profile";

    public string Description => "microseconds per push request, stage by stage (CPU), and HTTP's share";

    public async Task<BenchmarkResult> RunAsync(IReadOnlyList<string> arguments, TextWriter output, CancellationToken cancellationToken)
    {
        var hosts = PositionalArguments.Count(arguments, 0, 1000);
        var steps = PositionalArguments.Count(arguments, 1, 200);
        var batch = PositionalArguments.Count(arguments, 2, 5000);
        var rounds = PositionalArguments.Count(arguments, 3, 5);
        var lines = IngestBenchmark.Lines(hosts, steps);
        var batches = lines.Chunk(batch).Select(chunk => Encoding.UTF8.GetBytes(string.Concat(chunk))).ToArray();
        var points = lines.Length * 2;
        output.WriteLine($"ingest-profile: {batches.Length} requests of {batch} lines ({points / batches.Length} points), {rounds} rounds; load average {File.ReadAllText("/proc/loadavg")[..14]}");

        var stages = IngestProfile.Measure(batches, rounds);
        PushRun push = default, drain = default;
        for (var round = 0; round < 3; round++)
        {
            push = Best(push, await IngestBenchmark.MeasurePushAsync("write?db=bench", batches, points, 1, cancellationToken));
            drain = Best(drain, await IngestBenchmark.MeasurePushAsync("write?db=bench", batches, points, 1, cancellationToken, drainOnly: true));
        }

        var table = IngestProfile.Table(stages);
        table.AddRow("HTTP push", "POST /write, 1 connection: process CPU (server + client)", push.CpuMicrosecondsPerRequest, "CPU");
        table.AddRow("HTTP push", "POST /write, 1 connection", push.WallMicrosecondsPerRequest, "wall");
        table.AddRow("HTTP push", $"GC pauses ({push.Collections} collections in the run)", push.GcPauseMicrosecondsPerRequest, "wall");
        table.AddRow("HTTP only", "the same bodies to an endpoint that reads them: process CPU", drain.CpuMicrosecondsPerRequest, "CPU");
        table.AddRow("HTTP only", "the same, 1 connection", drain.WallMicrosecondsPerRequest, "wall");
        output.WriteLine(table);
        return IngestProfile.AddTo(new BenchmarkResult(), stages)
            .Add("http_push_cpu_us", push.CpuMicrosecondsPerRequest, "F0")
            .Add("http_push_wall_us", push.WallMicrosecondsPerRequest, "F0")
            .Add("http_only_cpu_us", drain.CpuMicrosecondsPerRequest, "F0")
            .Add("push_points_per_s", push.PointsPerSecond, "F0")
            .Add("points_per_request", points / batches.Length);
    }

    /// <summary>The run that cost the least CPU per request.</summary>
    private static PushRun Best(PushRun best, PushRun run) =>
        best.PointsPerSecond == 0 || run.CpuMicrosecondsPerRequest < best.CpuMicrosecondsPerRequest ? run : best;
}
