using System.Globalization;
using MetaAnomaly.Forecasting.Learners;

namespace MetaAnomaly.Bench;

/// <summary>
/// Arguments shared by the forecasting benchmarks (sine, m4, adapt): <c>--learners a,b</c> (default: every learner
/// registered in <see cref="LearnerRegistration.AddMetaLearners"/>), <c>--steps N</c>, <c>--seed N</c>, <c>--threads N</c>.
/// </summary>
internal sealed class AdaptationBenchArguments
{
    private readonly Dictionary<string, string> _values = new(StringComparer.OrdinalIgnoreCase);

    public AdaptationBenchArguments(IReadOnlyList<string> arguments)
    {
        for (var i = 0; i < arguments.Count; i++)
        {
            if (!arguments[i].StartsWith("--", StringComparison.Ordinal) || i + 1 >= arguments.Count)
            {
                throw new ArgumentException($"Expected --name value pairs, got '{arguments[i]}'.");
            }
            _values[arguments[i][2..]] = arguments[++i];
        }
    }

    public MetaLearnerRegistry Registry { get; } = MetaLearnerRegistry.CreateDefault();

    public IReadOnlyList<string> Learners => _values.TryGetValue("learners", out var list)
        ? list.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(n => Registry.Factory(n).Name).ToArray()
        : Registry.Names;

    public string Text(string name, string fallback) => _values.GetValueOrDefault(name, fallback);

    public int Int(string name, int fallback) => _values.TryGetValue(name, out var v) ? int.Parse(v, CultureInfo.InvariantCulture) : fallback;

    public double Double(string name, double fallback) => _values.TryGetValue(name, out var v) ? double.Parse(v, CultureInfo.InvariantCulture) : fallback;
}
