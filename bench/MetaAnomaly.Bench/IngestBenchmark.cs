using System.Diagnostics;
using System.Net;
using System.Text;
using Google.Protobuf;
using MetaAnomaly.Ingest.Extensions;
using MetaAnomaly.Ingest.LineProtocol;
using MetaAnomaly.Ingest.Push;
using MetaAnomaly.Ingest.Push.Prometheus;
using MetaAnomaly.Shared.Series;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace MetaAnomaly.Bench;

/// <summary>
/// Ingestion throughput: line-protocol parsing on one core, decoding into points, push over HTTP on loopback into the
/// buffers (InfluxDB 1.x <c>/write</c>, 2.x <c>/api/v2/write</c> and Prometheus remote-write <c>/api/v1/prom/write</c>
/// with the same points as snappy-compressed protobuf, each into a fresh host, best of three alternating rounds), and InfluxDB's own write rate for the same bodies in the same run (a local influxd is started when
/// METAANOMALY_TEST_INFLUXDB_URL is not set, best of three runs too). Both <c>/write</c> paths are also measured with
/// several connections at once (the batches dealt round-robin to them), where one group commit of the write-ahead log
/// serves the writes that arrive together. Arguments: <c>[hosts=1000] [steps=200] [batch=5000] [connections=4]</c>.
/// </summary>
public sealed class IngestBenchmark : IBenchmark
{
    public string Name => "ingest";

    public string Description => "line-protocol parse rate, push ingestion over HTTP vs InfluxDB's own write rate";

    public async Task<BenchmarkResult> RunAsync(IReadOnlyList<string> arguments, TextWriter output, CancellationToken cancellationToken)
    {
        var hosts = PositionalArguments.Count(arguments, 0, 1000);
        var steps = PositionalArguments.Count(arguments, 1, 200);
        var batch = PositionalArguments.Count(arguments, 2, 5000);
        var connections = PositionalArguments.Count(arguments, 3, 4);
        var loadBefore = LoadAverage();
        var lines = Lines(hosts, steps);
        var body = Encoding.UTF8.GetBytes(string.Concat(lines));
        output.WriteLine($"ingest: {lines.Length:N0} lines ({hosts} hosts x {steps} steps, 3 tags, 2 float fields), {body.Length / 1e6:F1} MB, batches of {batch} lines");

        var (parse, parseWall) = MeasureParse(body, lines.Length);
        var (decode, decodeWall) = MeasureDecode(body);
        var batches = lines.Chunk(batch).Select(chunk => Encoding.UTF8.GetBytes(string.Concat(chunk))).ToArray();
        var points = lines.Length * 2;
        var remoteWriteBatches = batches.Select(RemoteWriteBody).ToArray();
        var (remoteWriteDecode, remoteWriteDecodeWall) = MeasureRemoteWriteDecode(remoteWriteBatches);

        // Alternating rounds, best of three each: the first host of the process also pays the JIT for both paths.
        double push = 0, pushV2 = 0, remoteWrite = 0, pushConcurrent = 0;
        for (var round = 0; round < 3; round++)
        {
            push = Math.Max(push, (await MeasurePushAsync("write?db=bench", batches, points, 1, cancellationToken)).PointsPerSecond);
            pushV2 = Math.Max(pushV2, (await MeasurePushAsync("api/v2/write?org=bench&bucket=bench&precision=ns", batches, points, 1, cancellationToken)).PointsPerSecond);
            remoteWrite = Math.Max(remoteWrite, (await MeasurePushAsync("api/v1/prom/write", remoteWriteBatches, points, 1, cancellationToken, "snappy")).PointsPerSecond);
            pushConcurrent = Math.Max(pushConcurrent, (await MeasurePushAsync("write?db=bench", batches, points, connections, cancellationToken)).PointsPerSecond);
        }
        var configured = Environment.GetEnvironmentVariable("METAANOMALY_TEST_INFLUXDB_URL");
        await using var influxd = configured is null ? await IngestInfluxd.StartAsync(cancellationToken) : null;
        var influxUrl = influxd?.Url ?? new Uri(configured!.TrimEnd('/') + "/");
        double influx = 0, influxConcurrent = 0;
        for (var round = 0; round < 3; round++)
        {
            influx = Math.Max(influx, await MeasureInfluxAsync(influxUrl, batches, points, 1, cancellationToken));
            influxConcurrent = Math.Max(influxConcurrent, await MeasureInfluxAsync(influxUrl, batches, points, connections, cancellationToken));
        }

        var table = new ResultTable("stage", "what", "rate per CPU second", "rate per wall second", "unit");
        table.AddRow("parse", "NextLine + TryParseLine, 1 thread", parse, parseWall, "lines/s");
        table.AddRow("decode", "parse + SeriesKey cache -> DataPoint, 1 thread", decode, decodeWall, "points/s");
        table.AddRow("remote-write decode", "snappy + protobuf + series keys -> DataPoint, 1 thread", remoteWriteDecode, remoteWriteDecodeWall, "points/s");
        table.AddRow("push", "POST /write on loopback -> buffers, 1 connection", "", push, "points/s");
        table.AddRow("push v2", "POST /api/v2/write on loopback -> buffers, 1 connection", "", pushV2, "points/s");
        table.AddRow("remote-write", "POST /api/v1/prom/write (snappy protobuf) on loopback -> buffers, 1 connection", "", remoteWrite, "points/s");
        table.AddRow("influx", $"POST /write to influxd {(influxd is null ? "(configured)" : "(started here)")}, 1 connection", "", influx, "points/s");
        table.AddRow("push, concurrent", $"POST /write on loopback -> buffers, {connections} connections", "", pushConcurrent, "points/s");
        table.AddRow("influx, concurrent", $"POST /write to influxd, {connections} connections", "", influxConcurrent, "points/s");
        var stages = IngestProfile.Measure(batches, rounds: 5);
        output.WriteLine($"load average before / after the run: {loadBefore} / {LoadAverage()} on {Environment.ProcessorCount} cores (per-CPU-second rates are what one core does; wall rates share the machine)");
        output.WriteLine(table);
        output.WriteLine(IngestProfile.Table(stages));
        return IngestProfile.AddTo(new BenchmarkResult()
            .Add("parse_lines_per_s", parse, "F0")
            .Add("parse_lines_per_wall_s", parseWall, "F0")
            .Add("decode_points_per_s", decode, "F0")
            .Add("remote_write_decode_points_per_s", remoteWriteDecode, "F0")
            .Add("push_points_per_s", push, "F0")
            .Add("push_v2_points_per_s", pushV2, "F0")
            .Add("remote_write_points_per_s", remoteWrite, "F0")
            .Add("influx_points_per_s", influx, "F0")
            .Add("push_vs_influx", push / influx, "F2")
            .Add("push_concurrent_points_per_s", pushConcurrent, "F0")
            .Add("influx_concurrent_points_per_s", influxConcurrent, "F0")
            .Add("push_vs_influx_concurrent", pushConcurrent / influxConcurrent, "F2")
            .Add("connections", connections)
            .Add("lines", lines.Length)
            .Add("batch", batch), stages);
    }


    /// <summary>Realistic telegraf-like lines: 3 tags, 2 float fields, second timestamps 10 s apart ending now.</summary>
    internal static string[] Lines(int hosts, int steps)
    {
        var random = new Random(7);
        var end = DateTimeOffset.UtcNow.ToUnixTimeSeconds() / 10 * 10 - 10;
        string[] regions = ["eu-west-1", "us-east-1", "ap-south-1"];
        string[] services = ["api", "worker", "db", "cache"];
        var lines = new string[hosts * steps];
        for (var s = 0; s < steps; s++)
        {
            for (var h = 0; h < hosts; h++)
            {
                lines[s * hosts + h] = $"cpu,host=server-{h:D4},region={regions[h % 3]},service={services[h % 4]} "
                    + $"usage_user={random.NextDouble() * 100:F3},usage_system={random.NextDouble() * 20:F3} "
                    + $"{(end - (steps - 1 - s) * 10) * 1_000_000_000L}\n";
            }
        }
        return lines;
    }

    /// <summary>
    /// The points of one line-protocol batch as Prometheus sends them: a snappy-compressed <c>WriteRequest</c> with one
    /// time series per point, named measurement_field and labelled with the tags.
    /// </summary>
    private static byte[] RemoteWriteBody(byte[] lineBatch)
    {
        var points = new List<DataPoint>();
        new PointDecoder(new SeriesKeyCache()).Decode(lineBatch, 1, DateTimeOffset.UtcNow, points);
        var request = new WriteRequest();
        foreach (var point in points)
        {
            var series = new TimeSeries();
            series.Labels.Add(new Label { Name = "__name__", Value = $"{point.Key.Measurement}_{point.Key.Field}" });
            series.Labels.Add(point.Key.Tags.Select(tag => new Label { Name = tag.Key, Value = tag.Value }));
            series.Samples.Add(new Sample { Value = point.Value, Timestamp = point.Timestamp.ToUnixTimeMilliseconds() });
            request.Timeseries.Add(series);
        }
        return IronSnappy.Snappy.Encode(request.ToByteArray());
    }

    /// <summary>Best of five rounds: lines per CPU second of this process (one busy thread) and per wall second.</summary>
    private static (double PerCpuSecond, double PerWallSecond) MeasureParse(byte[] body, int expectedLines)
    {
        var parsed = new ParsedLine();
        return BestOf(5, () =>
        {
            int position = 0, lineNumber = 0, count = 0;
            while (LineProtocolParser.NextLine(body, ref position, ref lineNumber, out var line, out _))
            {
                if (LineProtocolParser.TryParseLine(line, parsed, out _))
                {
                    count++;
                }
            }
            return count == expectedLines ? count : throw new InvalidOperationException($"Parsed {count} of {expectedLines} lines.");
        });
    }

    private static (double PerCpuSecond, double PerWallSecond) MeasureDecode(byte[] body)
    {
        var decoder = new PointDecoder(new SeriesKeyCache());
        var points = new List<DataPoint>();
        return BestOf(3, () =>
        {
            points.Clear();
            return decoder.Decode(body, 1, DateTimeOffset.UtcNow, points).Points;
        });
    }

    /// <summary>Every remote-write body through one decoder (its key cache warm after the first pass), as the endpoint decodes them.</summary>
    private static (double PerCpuSecond, double PerWallSecond) MeasureRemoteWriteDecode(byte[][] bodies)
    {
        var decoder = new RemoteWriteDecoder();
        var points = new List<DataPoint>();
        return BestOf(3, () =>
        {
            var count = 0;
            foreach (var body in bodies)
            {
                points.Clear();
                decoder.Decode(body, int.MaxValue, points);
                count += points.Count;
            }
            return count;
        });
    }

    /// <summary>Best of <paramref name="rounds"/>, each three passes: items per CPU second of this thread, and per wall second.</summary>
    private static (double PerCpuSecond, double PerWallSecond) BestOf(int rounds, Func<int> run)
    {
        double bestCpu = 0, bestWall = 0;
        for (var round = 0; round < rounds; round++)
        {
            var cpu = IngestProfile.ThreadCpuTime();
            var watch = Stopwatch.StartNew();
            var count = run() + run() + run();
            watch.Stop();
            bestCpu = Math.Max(bestCpu, count / (IngestProfile.ThreadCpuTime() - cpu).TotalSeconds);
            bestWall = Math.Max(bestWall, count / watch.Elapsed.TotalSeconds);
        }
        return (bestCpu, bestWall);
    }

    private static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "n/a";

    /// <summary>
    /// The batches posted to <paramref name="path"/> of a fresh host over <paramref name="connections"/> connections
    /// after two warm-up posts. With <paramref name="drainOnly"/> the path is a control endpoint that reads the body
    /// (<see cref="PushBody"/>) and answers 204, so the run costs what HTTP alone costs.
    /// </summary>
    internal static async Task<PushRun> MeasurePushAsync(
        string path, byte[][] batches, int points, int connections, CancellationToken cancellationToken, string? contentEncoding = null, bool drainOnly = false)
    {
        var folder = Directory.CreateTempSubdirectory("metaanomaly-bench-push-").FullName;
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { ContentRootPath = folder, EnvironmentName = "Production" });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Ingest:Demo:Enabled"] = "false",
            ["Ingest:Buffers:MaxMemoryMegabytes"] = "2048",
            ["Ingest:Buffers:SnapshotInterval"] = "01:00:00",
        });
        builder.Logging.ClearProviders();
        var port = LoopbackPort.Free();
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        builder.AddIngest();
        await using var app = builder.Build();
        app.MapIngestPush();
        app.MapPost(DrainPath, async (HttpContext context) =>
        {
            using var body = await PushBody.ReadAsync(context.Request, long.MaxValue, context.RequestAborted);
            return Results.NoContent();
        });
        await app.StartAsync(cancellationToken);
        try
        {
            using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}/") };
            var target = drainOnly ? DrainPath : path;
            await PostAllAsync(http, target, batches.Take(2).ToArray(), cancellationToken, contentEncoding);
            var gcs = GC.CollectionCount(0) + GC.CollectionCount(1) + GC.CollectionCount(2);
            var pause = GC.GetTotalPauseDuration();
            using var process = Process.GetCurrentProcess();
            var cpu = process.TotalProcessorTime;
            var watch = Stopwatch.StartNew();
            await PostConcurrentlyAsync(http, target, batches, connections, cancellationToken, contentEncoding);
            watch.Stop();
            process.Refresh();
            var run = new PushRun(points / watch.Elapsed.TotalSeconds,
                (process.TotalProcessorTime - cpu).TotalMicroseconds / batches.Length,
                watch.Elapsed.TotalMicroseconds / batches.Length,
                GC.CollectionCount(0) + GC.CollectionCount(1) + GC.CollectionCount(2) - gcs,
                (GC.GetTotalPauseDuration() - pause).TotalMicroseconds / batches.Length);
            var buffers = app.Services.GetRequiredService<ISeriesBuffers>();
            var held = buffers.ListSeries().Sum(s => Math.Min(s.PointCount, 4096));
            if (!drainOnly && held != points)
            {
                throw new InvalidOperationException($"The buffers hold {held} of {points} pushed points.");
            }
            return run;
        }
        finally
        {
            await app.StopAsync(CancellationToken.None);
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(folder, recursive: true);
        }
    }

    private static async Task<double> MeasureInfluxAsync(Uri url, byte[][] batches, int points, int connections, CancellationToken cancellationToken)
    {
        using var http = new HttpClient { BaseAddress = url, Timeout = TimeSpan.FromMinutes(5) };
        var database = $"ingest_bench_{Environment.ProcessId}_{connections}";
        using (var create = await http.PostAsync("query?q=" + Uri.EscapeDataString($"CREATE DATABASE {database}"), null, cancellationToken))
        {
            create.EnsureSuccessStatusCode();
        }
        try
        {
            return await TimedAsync(() => PostConcurrentlyAsync(http, $"write?db={database}", batches, connections, cancellationToken), points);
        }
        finally
        {
            using var drop = await http.PostAsync("query?q=" + Uri.EscapeDataString($"DROP DATABASE {database}"), null, CancellationToken.None);
        }
    }

    private const string DrainPath = "bench-drain";

    private static async Task<double> TimedAsync(Func<Task> run, int points)
    {
        var watch = Stopwatch.StartNew();
        await run();
        return points / watch.Elapsed.TotalSeconds;
    }

    /// <summary>The batches dealt round-robin to <paramref name="connections"/> writers, each posting its share in order.</summary>
    private static Task PostConcurrentlyAsync(
        HttpClient http, string path, byte[][] batches, int connections, CancellationToken cancellationToken, string? contentEncoding = null) =>
        Task.WhenAll(Enumerable.Range(0, connections).Select(lane =>
            PostAllAsync(http, path, batches.Where((_, i) => i % connections == lane).ToArray(), cancellationToken, contentEncoding)));

    private static async Task PostAllAsync(HttpClient http, string path, byte[][] batches, CancellationToken cancellationToken, string? contentEncoding = null)
    {
        foreach (var batch in batches)
        {
            using var content = new ByteArrayContent(batch);
            if (contentEncoding is not null)
            {
                content.Headers.ContentEncoding.Add(contentEncoding);
            }
            using var response = await http.PostAsync(path, content, cancellationToken);
            if (response.StatusCode != HttpStatusCode.NoContent)
            {
                throw new InvalidOperationException($"POST {path} answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync(cancellationToken)}");
            }
        }
    }
}

/// <summary>One timed push run: its rate, and per request the process's CPU (server and client), the wall time and the GC pauses.</summary>
internal readonly record struct PushRun(double PointsPerSecond, double CpuMicrosecondsPerRequest, double WallMicrosecondsPerRequest, int Collections, double GcPauseMicrosecondsPerRequest);
