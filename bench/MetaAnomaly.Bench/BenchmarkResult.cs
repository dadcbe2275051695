using System.Globalization;

namespace MetaAnomaly.Bench;

/// <summary>The key=value pairs of a benchmark's last line: <c>RESULT name key=value ...</c>.</summary>
public sealed class BenchmarkResult
{
    private readonly List<KeyValuePair<string, string>> _pairs = [];

    public IReadOnlyList<KeyValuePair<string, string>> Pairs => _pairs;

    public BenchmarkResult Add(string key, double value, string format = "G6")
    {
        _pairs.Add(new(key, value.ToString(format, CultureInfo.InvariantCulture)));
        return this;
    }

    public BenchmarkResult Add(string key, string value)
    {
        _pairs.Add(new(key, value.Replace(' ', '_')));
        return this;
    }

    public string ToResultLine(string name) =>
        $"RESULT {name} {string.Join(' ', _pairs.Select(p => $"{p.Key}={p.Value}"))}";
}
