using MetaAnomaly.Forecasting.Learners;
using static TorchSharp.torch;

namespace MetaAnomaly.Forecasting.Tests.Learners.Model;

/// <summary>
/// A small synthetic task family: sines y_t = a sin(w t + p) with amplitude, angular frequency and phase drawn per
/// task; inputs are the previous <see cref="Lags"/> values, the target the next one. Support and query are consecutive.
/// </summary>
internal sealed class SineEpisodes(int seed)
{
    public const int Lags = 6;

    private readonly Random _random = new(seed);

    public EpisodeBatch Next(int tasks, int support, int query)
    {
        var length = support + query;
        var inputs = new float[tasks * length * Lags];
        var targets = new float[tasks * length];
        for (var task = 0; task < tasks; task++)
        {
            var amplitude = 0.5 + 1.5 * _random.NextDouble();
            var frequency = 2 * Math.PI / (8 + 16 * _random.NextDouble());
            var phase = 2 * Math.PI * _random.NextDouble();
            double Value(int t) => amplitude * Math.Sin(frequency * t + phase);
            for (var pair = 0; pair < length; pair++)
            {
                for (var lag = 0; lag < Lags; lag++)
                {
                    inputs[(task * length + pair) * Lags + lag] = (float)Value(pair + lag);
                }
                targets[task * length + pair] = (float)Value(pair + Lags);
            }
        }
        var allInputs = tensor(inputs, [tasks, length, Lags]);
        var allTargets = tensor(targets, [tasks, length]);
        return new EpisodeBatch(
            new TaskSet(allInputs[.., ..support].clone(), allTargets[.., ..support].clone(), ones([tasks, support])),
            new TaskSet(allInputs[.., support..].clone(), allTargets[.., support..].clone(), ones([tasks, query])));
    }
}
