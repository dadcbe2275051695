using System.Diagnostics;
using System.Globalization;
using MetaAnomaly.Forecasting.Extensions;
using MetaAnomaly.Forecasting.Engine;
using MetaAnomaly.Forecasting.Episodes;
using MetaAnomaly.Forecasting.Learners;
using MetaAnomaly.Forecasting.Learners.Optimization;
using MetaAnomaly.Forecasting.Serving;
using TorchSharp;
using static TorchSharp.torch;

namespace MetaAnomaly.Bench;

/// <summary>
/// Daily-adaptation throughput: 100,000 synthetic series (K = 24, L = 24, 5 inner steps, forecast 24 ahead) through
/// the serving code path (<see cref="ChunkAdaptation"/>: the product's default anchor, the value one period earlier, or
/// with <c>--multi-seasonal 1</c> the blend of the day and the week chosen on each series' latest week from a history of
/// two weeks;
/// support tensors, adaptation, residual scale, rolled forecast), batched in chunks versus one series at a time, with 1 and 2 threads, the inner loop's held-out share the
/// product's default unless <c>--held-out</c> says otherwise; the fraction of the measured
/// float32 matmul rate reached; and meta-training tasks per second, second and first order.
/// </summary>
/// <remarks>
/// Each batched mode runs twice: a first day, whose allocations first touch their pages (a page fault costs about
/// 10 microseconds on this project's virtual machines), and a later day, which reuses the memory the first left, as
/// every daily adaptation after a process's first does. The later day is the RESULT's figure; the first day is
/// reported beside it (<c>seconds_100k_first_day</c>).
/// </remarks>
public sealed class AdaptBenchmark : IBenchmark
{
    private const int Lags = 24;
    private const int Support = 24;
    private const int DefaultHorizon = 24;
    private const int DefaultSteps = 5;

    public string Name => "adapt";

    public string Description => "daily adaptation throughput for 100,000 series, batched vs one at a time [--series N --chunk N --threads 1,2 --steps N --horizon N --device cpu|cuda --learners a,b --retain-heap 1|0 --held-out SHARE --multi-seasonal 1|0]";

    public Task<BenchmarkResult> RunAsync(IReadOnlyList<string> arguments, TextWriter output, CancellationToken cancellationToken)
    {
        var options = new AdaptationBenchArguments(arguments);
        var retainedHeap = options.Int("retain-heap", 1) == 1 && NativeHeap.RetainFreedMemory();
        var seriesCount = options.Int("series", 100_000);
        var chunkSize = options.Int("chunk", 512);
        var steps = options.Int("steps", DefaultSteps);
        var heldOutShare = double.Parse(options.Text("held-out", ForecastingOptions.Defaults.InnerLoopHeldOutShare.ToString(CultureInfo.InvariantCulture)), CultureInfo.InvariantCulture);
        var horizon = options.Int("horizon", DefaultHorizon);
        var threadCounts = options.Text("threads", "1,2").Split(',').Select(int.Parse).ToArray();
        var loopCount = options.Int("loop", 300);
        var layout = new EpisodeLayout(Lags, 24, Support, 0) { DayLag = options.Int("multi-seasonal", new ForecastingOptions().MultiSeasonalAnchor ? 1 : 0) == 1 ? 24 : 0 };
        var segments = Synthetic(seriesCount, new Random(options.Int("seed", 1)), layout.HistorySpan);
        var learnerName = options.Learners.Contains(MamlFactory.LearnerName) ? MamlFactory.LearnerName : options.Learners[0];
        var device = DeviceOf(options.Text("device", "cpu"));
        var settings = new LearnerSettings(layout.InputSize, device, 1, [40, 40], 0.01, steps, HeldOutShare: heldOutShare);
        var flopsPerSeries = FlopsPerSeries(layout.InputSize, 40, 40, steps, horizon);
        var table = new ResultTable("threads", "mode", "day", "series", "seconds", "CPU seconds", "series/s", "GFLOP/s", "peak GFLOP/s", "peak fraction");
        var result = new BenchmarkResult().Add("device", device.type.ToString().ToLowerInvariant());
        output.WriteLine($"adapt: {seriesCount} series of {layout.HistorySpan} points, K={Support}, L={Lags}, anchor {(layout.MultiSeasonal ? "blended per series" : "one period earlier")}, {steps} steps (held-out share {heldOutShare}), horizon {horizon}, chunk {chunkSize}, learner {learnerName}, device {device.type}; {flopsPerSeries / 1e6:F2} MFLOP per series; freed native memory retained: {(retainedHeap ? "yes" : "no")}");
        if (device.type == DeviceType.CUDA)
        {
            var difference = MaxForecastDifference(options.Registry, learnerName, settings, segments.Take(chunkSize).ToArray(), layout, horizon);
            output.WriteLine($"  forecasts on cuda vs cpu, same seed and series: max relative difference {difference:G3}");
            result.Add("cuda_vs_cpu_max_rel_diff", difference, "G3");
        }
        foreach (var threads in threadCounts)
        {
            torch.set_num_threads(threads);
            var peak = MatmulRate(device);
            using var learner = options.Registry.Create(learnerName, settings);
            AdaptAll(learner, segments.Take(chunkSize).ToArray(), layout, horizon, chunkSize, 1);
            var clock = Stopwatch.StartNew();
            AdaptAll(learner, segments.Take(loopCount).ToArray(), layout, horizon, 1, 1);
            var loopRate = loopCount / clock.Elapsed.TotalSeconds;
            table.AddRow(threads, "one at a time", "", loopCount, loopCount / loopRate, "", loopRate, loopRate * flopsPerSeries / 1e9, peak, loopRate * flopsPerSeries / 1e9 / peak);
            // With several threads on the CPU: torch's intra-op threads on one chunk at a time, and (the serving choice)
            // whole chunks on concurrent threads with one intra-op thread each; the last mode measured is the RESULT's.
            var modes = threads > 1 && device.type == DeviceType.CPU ? new[] { 1, threads } : [1];
            foreach (var workers in modes)
            {
                var mode = workers > 1 ? $"batched ({chunkSize}), {workers} chunks at once" : $"batched ({chunkSize})";
                var suffix = threads == 1 ? "_1t" : workers == threads ? "" : "_intraop";
                // Twice: the first day of a fresh process, whose allocations first touch their pages, then a later day,
                // which reuses the memory the first one left (the steady state of the daily job, and the RESULT).
                foreach (var day in new[] { "first", "later" })
                {
                    var processor = Environment.CpuUsage.TotalTime;
                    clock.Restart();
                    AdaptAll(learner, segments, layout, horizon, chunkSize, workers);
                    var batchedSeconds = clock.Elapsed.TotalSeconds;
                    var cpuSeconds = (Environment.CpuUsage.TotalTime - processor).TotalSeconds;
                    var rate = seriesCount / batchedSeconds;
                    var gflops = rate * flopsPerSeries / 1e9;
                    table.AddRow(threads, mode, day, seriesCount, batchedSeconds, cpuSeconds, rate, gflops, peak, gflops / peak);
                    output.WriteLine($"  {threads} thread(s), {mode}, {day} day: {rate:F0} series/s ({batchedSeconds:F2} s, {cpuSeconds:F2} s of CPU), loop {loopRate:F0} series/s, peak {peak:F1} GFLOP/s");
                    if (day == "first")
                    {
                        result.Add($"seconds_100k_first_day{suffix}", batchedSeconds * 100_000 / seriesCount);
                        continue;
                    }
                    result.Add($"seconds_100k{suffix}", batchedSeconds * 100_000 / seriesCount)
                        .Add($"series_per_s{suffix}", rate)
                        .Add($"ratio{suffix}", rate / loopRate)
                        .Add($"peak_fraction{suffix}", gflops / peak);
                }
            }
            result.Add($"loop_series_per_s{(threads == 1 ? "_1t" : "")}", loopRate);
        }
        output.WriteLine();
        output.Write(table);
        var training = new ResultTable("learner", "order", "meta-batch", "tasks/s");
        foreach (var name in new[] { MamlFactory.LearnerName, FomamlFactory.LearnerName }.Where(options.Registry.Contains))
        {
            var rate = MetaTrainingRate(options.Registry, name, layout with { QuerySize = 12 }, settings);
            training.AddRow(name, name == MamlFactory.LearnerName ? "second" : "first", 32, rate);
            result.Add($"{name}_tasks_per_s", rate);
        }
        output.WriteLine();
        output.Write(training);
        output.WriteLine("Targets (2-core machine): 100,000 series in under 5 s, at least 10x the one-at-a-time loop.");
        return Task.FromResult(result);
    }

    /// <summary>
    /// Adapts and forecasts every segment in chunks, <paramref name="workers"/> chunks at once, as serving does; results
    /// are disposed a batch of chunks at a time to keep memory bounded.
    /// </summary>
    private static void AdaptAll(IMetaLearner learner, IReadOnlyList<SeriesSegment> segments, EpisodeLayout layout, int horizon, int chunkSize, int workers)
    {
        var chunks = segments.Chunk(chunkSize).ToArray();
        const int chunksPerBatch = 64;
        for (var start = 0; start < chunks.Length; start += chunksPerBatch)
        {
            var batch = chunks.Skip(start).Take(chunksPerBatch).ToArray();
            foreach (var chunk in ConcurrentChunkAdaptation.Adapt(learner, batch, layout, horizon, workers))
            {
                chunk.Dispose();
            }
        }
    }

    private static double MetaTrainingRate(MetaLearnerRegistry registry, string name, EpisodeLayout layout, LearnerSettings settings)
    {
        using var learner = registry.Create(name, settings);
        var random = new Random(3);
        var segments = Synthetic(256, random, length: 200);
        var sampler = new EpisodeSampler(segments, layout);
        var clock = Stopwatch.StartNew();
        var tasks = 0;
        for (var step = 0; step < 20; step++)
        {
            using var episode = EpisodeBuilder.Build(sampler.Sample(32, random), layout, settings.Device);
            learner.MetaTrainStep(episode.Batch);
            tasks += 32;
        }
        return tasks / clock.Elapsed.TotalSeconds;
    }

    /// <summary>Forward on K pairs plus back-propagation (about twice the forward) per step, plus the rolled horizon.</summary>
    private static double FlopsPerSeries(int input, int h1, int h2, int steps, int horizon)
    {
        var forwardPerPair = 2.0 * (input * h1 + h1 * h2 + h2);
        return steps * Support * 3 * forwardPerPair + Support * forwardPerPair + horizon * forwardPerPair;
    }

    private static double MatmulRate(Device device)
    {
        using var scope = NewDisposeScope();
        var n = device.type == DeviceType.CUDA ? 8192 : 1024;
        var a = randn(n, n).to(device);
        var b = randn(n, n).to(device);
        a.matmul(b).sum().item<float>();
        var clock = Stopwatch.StartNew();
        const int repeats = 10;
        var total = zeros(1, device: device);
        for (var i = 0; i < repeats; i++)
        {
            using var c = a.matmul(b);
            total.add_(c[0, 0]);
        }
        total.item<float>();
        return repeats * 2.0 * n * n * n / clock.Elapsed.TotalSeconds / 1e9;
    }

    private static Device DeviceOf(string name) => name.ToLowerInvariant() switch
    {
        "cpu" => CPU,
        "cuda" when torch.cuda.is_available() => CUDA,
        "cuda" => throw new InvalidOperationException("--device cuda: TorchSharp sees no CUDA device on this machine."),
        _ => throw new ArgumentException($"--device must be cpu or cuda, not '{name}'."),
    };

    /// <summary>
    /// Adapts the same series from the same seeded initialisation on CPU and on <paramref name="settings"/>'s device and
    /// returns the largest forecast difference relative to the forecast's magnitude (float32 round-off is about 1e-6).
    /// </summary>
    private static double MaxForecastDifference(MetaLearnerRegistry registry, string learnerName, LearnerSettings settings, IReadOnlyList<SeriesSegment> segments, EpisodeLayout layout, int horizon)
    {
        using var onCpu = registry.Create(learnerName, settings with { Device = CPU });
        using var onDevice = registry.Create(learnerName, settings);
        using var cpuChunk = ChunkAdaptation.Adapt(onCpu, segments, layout, horizon);
        using var deviceChunk = ChunkAdaptation.Adapt(onDevice, segments, layout, horizon);
        var worst = 0.0;
        for (var t = 0; t < segments.Count; t++)
        {
            for (var h = 0; h < horizon; h++)
            {
                var a = cpuChunk.Forecasts[t][h];
                var b = deviceChunk.Forecasts[t][h];
                worst = Math.Max(worst, Math.Abs(a - b) / Math.Max(1.0, Math.Abs(a)));
            }
        }
        return worst;
    }

    private static SeriesSegment[] Synthetic(int count, Random random, int length)
    {
        var segments = new SeriesSegment[count];
        for (var s = 0; s < count; s++)
        {
            var level = 100 * random.NextDouble();
            var amplitude = 1 + 10 * random.NextDouble();
            var phase = random.Next(24);
            var values = new double[length];
            for (var i = 0; i < length; i++)
            {
                values[i] = level + amplitude * Math.Sin(2 * Math.PI * (i + phase) / 24) + random.NextDouble();
            }
            segments[s] = new SeriesSegment(values, random.Next(1_000_000));
        }
        return segments;
    }
}
