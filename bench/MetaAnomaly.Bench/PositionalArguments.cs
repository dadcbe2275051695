using System.Globalization;

namespace MetaAnomaly.Bench;

/// <summary>Positional counts of the benchmarks that take them (<c>ingest</c>, <c>cluster</c>).</summary>
internal static class PositionalArguments
{
    /// <summary>The positive count at <paramref name="index"/>, or <paramref name="fallback"/> where it is missing or not one.</summary>
    public static int Count(IReadOnlyList<string> arguments, int index, int fallback) =>
        arguments.Count > index && int.TryParse(arguments[index], CultureInfo.InvariantCulture, out var value) && value > 0 ? value : fallback;
}
