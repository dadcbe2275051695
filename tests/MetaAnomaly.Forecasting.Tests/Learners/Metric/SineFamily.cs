using MetaAnomaly.Forecasting.Learners;
using static TorchSharp.torch;

namespace MetaAnomaly.Forecasting.Tests.Learners.Metric;

/// <summary>
/// A seeded family of sine series (amplitude, frequency, phase and level drawn per task), cut into episodes the way the
/// forecasting core does: support = K consecutive points' lag windows and next values, query = the Q points that
/// follow, normalised with the support's mean and standard deviation.
/// </summary>
internal sealed class SineFamily(int window = 8, int support = 20, int query = 10)
{
    public int Window => window;

    public EpisodeBatch Sample(int tasks, Random random, Device? device = null)
    {
        var length = window + support + query;
        var inputs = new float[2][];
        var targets = new float[2][];
        var counts = new[] { support, query };
        for (var part = 0; part < 2; part++)
        {
            inputs[part] = new float[tasks * counts[part] * window];
            targets[part] = new float[tasks * counts[part]];
        }
        for (var t = 0; t < tasks; t++)
        {
            var amplitude = 0.5 + 1.5 * random.NextDouble();
            var frequency = 0.2 + 0.6 * random.NextDouble();
            var phase = 2 * Math.PI * random.NextDouble();
            var level = 4 * random.NextDouble() - 2;
            var series = Enumerable.Range(0, length)
                .Select(i => level + amplitude * Math.Sin(frequency * i + phase)).ToArray();
            var supportValues = series.Take(window + support).ToArray();
            var mean = supportValues.Average();
            var deviation = Math.Sqrt(supportValues.Select(v => (v - mean) * (v - mean)).Average());
            var normalised = series.Select(v => (float)((v - mean) / deviation)).ToArray();
            for (var part = 0; part < 2; part++)
            {
                var first = part == 0 ? 0 : support;
                for (var n = 0; n < counts[part]; n++)
                {
                    var start = first + n;
                    Array.Copy(normalised, start, inputs[part], (t * counts[part] + n) * window, window);
                    targets[part][t * counts[part] + n] = normalised[start + window];
                }
            }
        }
        return new EpisodeBatch(Set(inputs[0], targets[0], tasks, support), Set(inputs[1], targets[1], tasks, query));

        TaskSet Set(float[] x, float[] y, int t, int n) => new(
            tensor(x, [t, n, window], device: device),
            tensor(y, [t, n], device: device),
            ones(t, n, device: device));
    }
}
