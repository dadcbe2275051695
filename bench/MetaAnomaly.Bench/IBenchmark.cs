namespace MetaAnomaly.Bench;

/// <summary>
/// One benchmark, run by name: <c>dotnet run -c Release --project bench/MetaAnomaly.Bench -- NAME [args]</c>.
/// Any public class implementing this with a parameterless constructor is found by <see cref="BenchmarkCatalog"/>.
/// </summary>
public interface IBenchmark
{
    string Name { get; }

    string Description { get; }

    /// <summary>Runs, writing progress and its table to <paramref name="output"/>; returns the RESULT line's pairs.</summary>
    Task<BenchmarkResult> RunAsync(IReadOnlyList<string> arguments, TextWriter output, CancellationToken cancellationToken);
}
