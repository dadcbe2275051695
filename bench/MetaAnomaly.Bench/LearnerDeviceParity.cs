using System.Diagnostics;
using MetaAnomaly.Forecasting.Episodes;
using MetaAnomaly.Forecasting.Learners;
using static TorchSharp.torch;

namespace MetaAnomaly.Bench;

/// <summary>
/// Runs every registered learner on CPU and on CUDA from the same meta-state (saved on CPU, loaded on CUDA): one
/// meta-training step on the same episode, then adaptation and prediction on the same support sets. Differences are
/// float32 round-off when the same code runs on both devices.
/// </summary>
internal static class LearnerDeviceParity
{
    private static readonly EpisodeLayout Layout = new(24, 24, 24, 12);

    public static ResultTable Compare(MetaLearnerRegistry registry, TextWriter output)
    {
        var table = new ResultTable("learner", "family", "adapt+predict max |diff|", "after a meta-step max |diff|", "cuda ms");
        var random = new Random(11);
        var segments = Enumerable.Range(0, 64).Select(_ => Seasonal(random)).ToArray();
        var cuts = new EpisodeSampler(segments, Layout).Sample(16, new Random(5));
        foreach (var name in registry.Names)
        {
            var settings = new LearnerSettings(Layout.InputSize, CPU, 1, [40, 40], 0.01, 5);
            using var onCpu = registry.Create(name, settings);
            using var onCuda = registry.Create(name, settings with { Device = CUDA });
            var clock = Stopwatch.StartNew();
            var adapted = Attempt(name, "adapt", output, () =>
            {
                using var state = new MemoryStream();
                onCpu.Save(state);
                state.Position = 0;
                onCuda.Load(state);
                return MaxDifference(onCpu, onCuda, segments);
            });
            var stepped = Attempt(name, "meta-step", output, () =>
            {
                using var cpuEpisode = EpisodeBuilder.Build(cuts, Layout, CPU);
                using var cudaEpisode = EpisodeBuilder.Build(cuts, Layout, CUDA);
                onCpu.MetaTrainStep(cpuEpisode.Batch);
                onCuda.MetaTrainStep(cudaEpisode.Batch);
                return MaxDifference(onCpu, onCuda, segments);
            });
            table.AddRow(name, registry.Factory(name).Family.ToString(), adapted, stepped, clock.Elapsed.TotalMilliseconds);
        }
        return table;
    }

    private static string Attempt(string name, string stage, TextWriter output, Func<double> measure)
    {
        try
        {
            return measure().ToString("G3", System.Globalization.CultureInfo.InvariantCulture);
        }
        catch (Exception e)
        {
            output.WriteLine($"  {name} {stage} failed on CUDA: {e.GetType().Name}: {e.Message.Split('\n')[0]}");
            return "failed";
        }
    }

    private static double MaxDifference(IMetaLearner onCpu, IMetaLearner onCuda, IReadOnlyList<SeriesSegment> segments)
    {
        using var scope = NewDisposeScope();
        var (cpuSupport, _) = EpisodeBuilder.BuildLatestSupport(segments, Layout, CPU);
        var (cudaSupport, _) = EpisodeBuilder.BuildLatestSupport(segments, Layout, CUDA);
        using var cpuAdapted = onCpu.Adapt(cpuSupport);
        using var cudaAdapted = onCuda.Adapt(cudaSupport);
        var a = cpuAdapted.Predict(cpuSupport.Inputs).data<float>().ToArray();
        var b = cudaAdapted.Predict(cudaSupport.Inputs).cpu().data<float>().ToArray();
        return a.Zip(b, (x, y) => (double)Math.Abs(x - y)).Max();
    }

    private static SeriesSegment Seasonal(Random random)
    {
        var level = 10 * random.NextDouble();
        var amplitude = 1 + 3 * random.NextDouble();
        var values = Enumerable.Range(0, 200).Select(i => level + amplitude * Math.Sin(2 * Math.PI * i / 24) + 0.2 * random.NextDouble()).ToArray();
        return new SeriesSegment(values, random.Next(24));
    }
}
