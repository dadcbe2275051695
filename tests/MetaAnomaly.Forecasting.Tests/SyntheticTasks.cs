using MetaAnomaly.Forecasting.Episodes;
using MetaAnomaly.Forecasting.Learners;
using static TorchSharp.torch;

namespace MetaAnomaly.Forecasting.Tests;

/// <summary>Small seeded data for the tests: noisy seasonal series and the episodes cut from them.</summary>
internal static class SyntheticTasks
{
    public static readonly EpisodeLayout Layout = new(Lags: 8, Period: 12, SupportSize: 12, QuerySize: 6);

    public static LearnerSettings Settings(int seed = 7, int steps = 3) =>
        new(Layout.InputSize, CPU, seed, [16, 16], AdaptationLearningRate: 0.05, AdaptationSteps: steps, MetaLearningRate: 0.005);

    /// <summary>A noisy sine around a drifting level: the drift (one per series) is what an anchored forecaster has to
    /// learn from the support, the shape what a level forecaster has to.</summary>
    public static SeriesSegment Seasonal(Random random, int length, int period, double noise = 0.05, double maxDrift = 0.1)
    {
        var amplitude = 0.5 + 2 * random.NextDouble();
        var phase = random.NextDouble() * 2 * Math.PI;
        var level = 10 * random.NextDouble();
        var drift = maxDrift * (2 * random.NextDouble() - 1);
        var values = new double[length];
        for (var i = 0; i < length; i++)
        {
            values[i] = level + drift * i + amplitude * Math.Sin(2 * Math.PI * i / period + phase) + noise * NextGaussian(random);
        }
        return new SeriesSegment(values, 0);
    }

    /// <summary>Level (not anchored) targets: the series' shape is all there is to learn.</summary>
    public static readonly EpisodeLayout LevelLayout = Layout with { Anchored = false };

    public static Episode Episode(int tasks, int seed, EpisodeLayout? layout = null)
    {
        layout ??= Layout;
        var random = new Random(seed);
        var cuts = Enumerable.Range(0, tasks)
            .Select(_ => new TaskCut(Seasonal(random, 60, layout.Period), layout.Reach + random.Next(0, 20)))
            .ToArray();
        return EpisodeBuilder.Build(cuts, layout, CPU);
    }

    public static double NextGaussian(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());

    /// <summary>Task <paramref name="task"/> of a task set, as its own batch of one.</summary>
    public static TaskSet Row(TaskSet set, int task) =>
        new(set.Inputs[task..(task + 1)], set.Targets[task..(task + 1)], set.Mask[task..(task + 1)]);
}
