using MetaAnomaly.Forecasting.Learners;
using static TorchSharp.torch;

namespace MetaAnomaly.Forecasting.Tests.Learners.Selection;

/// <summary>
/// Small seeded task families for learner tests: each task is one series, its inputs the last <c>lags</c> values and
/// its target the next one; the support pairs come first and the query pairs follow them in time.
/// </summary>
internal static class SyntheticTaskFamilies
{
    /// <summary>Sines with amplitude in [0.5, 2], any phase, period in [8, 24] samples (MAML's regression family, in time).</summary>
    public static EpisodeBatch Sines(int tasks, int support, int query, int lags, int seed, Device? device = null) =>
        Build(tasks, support, query, lags, seed, device, (random, length) =>
        {
            var amplitude = 0.5 + 1.5 * random.NextDouble();
            var phase = 2 * Math.PI * random.NextDouble();
            var period = 8 + 16 * random.NextDouble();
            return Enumerable.Range(0, length).Select(t => amplitude * Math.Sin(2 * Math.PI * t / period + phase)).ToArray();
        });

    /// <summary>Sines plus a per-task level shift and slope: tasks that need a different bias, not only a different shape.</summary>
    public static EpisodeBatch ShiftedSines(int tasks, int support, int query, int lags, int seed, Device? device = null) =>
        Build(tasks, support, query, lags, seed, device, (random, length) =>
        {
            var level = 2 * random.NextDouble() - 1;
            var slope = 0.04 * random.NextDouble() - 0.02;
            var period = 6 + 10 * random.NextDouble();
            var phase = 2 * Math.PI * random.NextDouble();
            return Enumerable.Range(0, length).Select(t => level + slope * t + Math.Sin(2 * Math.PI * t / period + phase)).ToArray();
        });

    /// <summary>The tasks <paramref name="first"/>.. of a task set, as a new task set (for batched-versus-unbatched checks).</summary>
    public static TaskSet Slice(TaskSet set, long first, long count) =>
        new(set.Inputs.narrow(0, first, count).clone(), set.Targets.narrow(0, first, count).clone(), set.Mask.narrow(0, first, count).clone());

    private static EpisodeBatch Build(int tasks, int support, int query, int lags, int seed, Device? device, Func<Random, int, double[]> series)
    {
        var random = new Random(seed);
        var pairs = support + query;
        var inputs = new float[tasks * pairs * lags];
        var targets = new float[tasks * pairs];
        for (var task = 0; task < tasks; task++)
        {
            var values = series(random, pairs + lags);
            for (var pair = 0; pair < pairs; pair++)
            {
                for (var lag = 0; lag < lags; lag++)
                {
                    inputs[(task * pairs + pair) * lags + lag] = (float)values[pair + lag];
                }
                targets[task * pairs + pair] = (float)values[pair + lags];
            }
        }
        var target = device ?? CPU;
        using var allInputs = tensor(inputs, [tasks, pairs, lags]);
        using var allTargets = tensor(targets, [tasks, pairs]);
        TaskSet Part(long start, long length) => new(
            allInputs.narrow(1, start, length).contiguous().to(target),
            allTargets.narrow(1, start, length).contiguous().to(target),
            ones([tasks, length], device: target));
        return new EpisodeBatch(Part(0, support), Part(support, query));
    }
}
