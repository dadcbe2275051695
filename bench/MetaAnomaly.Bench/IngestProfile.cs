using System.Runtime.InteropServices;
using MetaAnomaly.Ingest.Buffers;
using MetaAnomaly.Ingest.Configuration;
using MetaAnomaly.Ingest.LineProtocol;
using MetaAnomaly.Ingest.Wal;
using MetaAnomaly.Shared.Series;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace MetaAnomaly.Bench;

/// <summary>
/// What one push request costs, stage by stage, on the product's own components called one after another on one
/// thread (no HTTP, no thread pool): CPU microseconds of this thread per request for the parse, the decode into points
/// (parse included), the buffers' ingest and the write-ahead log record's encoding (CRC included), and wall
/// microseconds for a whole append to the log (encode, write, fdatasync). Each stage's best of
/// <paramref name="rounds"/> passes over every batch, after one pass that creates the series.
/// </summary>
internal static class IngestProfile
{
    public static IReadOnlyList<(string Stage, string What, double Microseconds, string Clock)> Measure(byte[][] batches, int rounds)
    {
        var options = Options.Create(new IngestOptions { Buffers = { MaxMemoryMegabytes = 2048 } });
        var buffers = new SeriesBuffers(options, TimeProvider.System, new IngestCounters(), NullLogger<SeriesBuffers>.Instance);
        var keys = new SeriesKeyCache(admits: buffers.Holds);
        var decoder = new PointDecoder(keys);
        var parsed = new ParsedLine();
        var folder = Directory.CreateTempSubdirectory("metaanomaly-bench-profile-").FullName;
        var log = new WriteAheadLog(folder, 64L * 1024 * 1024, NullLogger<WriteAheadLog>.Instance);
        try
        {
            log.OpenAsync(_ => { }, CancellationToken.None).GetAwaiter().GetResult();
            var points = new List<DataPoint>();
            var accepted = new DataPoint[batches.Max(b => b.Length)];
            double parse = double.MaxValue, decode = double.MaxValue, ingest = double.MaxValue, encode = double.MaxValue, append = double.MaxValue;
            for (var round = 0; round <= rounds; round++)
            {
                double parseCpu = 0, decodeCpu = 0, ingestCpu = 0, encodeCpu = 0, appendWall = 0;
                foreach (var body in batches)
                {
                    var start = ThreadCpuTime();
                    int position = 0, lineNumber = 0;
                    while (LineProtocolParser.NextLine(body, ref position, ref lineNumber, out var line, out _))
                    {
                        LineProtocolParser.TryParseLine(line, parsed, out _);
                    }
                    var parsedAt = ThreadCpuTime();
                    points.Clear();
                    decoder.Decode(body, 1, DateTimeOffset.UtcNow, points);
                    var decodedAt = ThreadCpuTime();
                    var outcome = buffers.Ingest(CollectionsMarshal.AsSpan(points), accepted);
                    var ingestedAt = ThreadCpuTime();
                    var frame = WalRecord.Encode(accepted.AsSpan(0, outcome.Accepted));
                    var encodedAt = ThreadCpuTime();
                    System.Buffers.ArrayPool<byte>.Shared.Return(frame.Buffer);
                    var wall = System.Diagnostics.Stopwatch.GetTimestamp();
                    log.AppendAsync(accepted.AsSpan(0, outcome.Accepted), CancellationToken.None).GetAwaiter().GetResult();
                    appendWall += System.Diagnostics.Stopwatch.GetElapsedTime(wall).TotalMicroseconds;
                    parseCpu += (parsedAt - start).TotalMicroseconds;
                    decodeCpu += (decodedAt - parsedAt).TotalMicroseconds;
                    ingestCpu += (ingestedAt - decodedAt).TotalMicroseconds;
                    encodeCpu += (encodedAt - ingestedAt).TotalMicroseconds;
                }
                if (round == 0)
                {
                    continue;
                }
                parse = Math.Min(parse, parseCpu / batches.Length);
                decode = Math.Min(decode, decodeCpu / batches.Length);
                ingest = Math.Min(ingest, ingestCpu / batches.Length);
                encode = Math.Min(encode, encodeCpu / batches.Length);
                append = Math.Min(append, appendWall / batches.Length);
            }
            return
            [
                ("parse", "NextLine + TryParseLine", parse, "CPU"),
                ("decode", "PointDecoder.Decode -> DataPoint list (parse included)", decode, "CPU"),
                ("buffers", "SeriesBuffers.Ingest (ring lookups, locks, slots)", ingest, "CPU"),
                ("WAL encode", "WalRecord.Encode (keys, points, CRC-32C)", encode, "CPU"),
                ("WAL append", "WriteAheadLog.AppendAsync (encode, write, fdatasync)", append, "wall"),
            ];
        }
        finally
        {
            log.Dispose();
            Directory.Delete(folder, recursive: true);
        }
    }

    /// <summary>The stages as a table, which the caller may add rows to.</summary>
    public static ResultTable Table(IReadOnlyList<(string Stage, string What, double Microseconds, string Clock)> stages)
    {
        var table = new ResultTable("stage of one push request", "what", "µs per request", "clock");
        foreach (var (stage, what, microseconds, clock) in stages)
        {
            table.AddRow(stage, what, microseconds, clock);
        }
        return table;
    }

    /// <summary>Adds <c>STAGE_us=</c> per stage.</summary>
    public static BenchmarkResult AddTo(BenchmarkResult result, IReadOnlyList<(string Stage, string What, double Microseconds, string Clock)> stages)
    {
        foreach (var (stage, _, microseconds, _) in stages)
        {
            result.Add(stage.Replace(' ', '_') + "_us", microseconds, "F0");
        }
        return result;
    }

    /// <summary>CPU time of the calling thread (Linux <c>CLOCK_THREAD_CPUTIME_ID</c>; the process's elsewhere).</summary>
    public static TimeSpan ThreadCpuTime()
    {
        if (OperatingSystem.IsLinux() && ClockGetTime(3, out var spec) == 0)
        {
            return TimeSpan.FromTicks(spec.Seconds * TimeSpan.TicksPerSecond + spec.Nanoseconds / 100);
        }
        using var process = System.Diagnostics.Process.GetCurrentProcess();
        return process.TotalProcessorTime;
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct TimeSpec
    {
        public long Seconds;
        public long Nanoseconds;
    }

    [DllImport("libc", EntryPoint = "clock_gettime")]
    private static extern int ClockGetTime(int clock, out TimeSpec time);
}
