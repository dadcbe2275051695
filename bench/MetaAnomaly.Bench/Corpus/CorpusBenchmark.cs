using System.Globalization;

namespace MetaAnomaly.Bench.Corpus;

/// <summary>
/// <c>corpus --out DIR [--seed N] [--m4 N] [--per-family N]</c>: writes a labelled corpus in NAB's layout, for
/// <c>bench nab --data DIR</c>, from a seed: <c>--m4</c> (90) series drawn from M4's hourly training parts, NAB's five
/// development files without anomalies, and <c>--per-family</c> (4) series of each synthetic family
/// (<see cref="SyntheticFamilies"/>); anomalies injected by <see cref="CorpusGenerator"/>, one category per kind, a
/// third of the series in <c>clean</c>. The sources are read from <c>../shared/data</c> beside the checkout.
/// </summary>
public sealed class CorpusBenchmark : IBenchmark
{
    private const int DefaultM4Series = 90;
    private const int DefaultPerFamily = 4;

    public string Name => "corpus";

    public string Description => "writes a seeded NAB-format labelled corpus from M4 hourly, NAB's clean files and synthetic families (--out DIR, --seed N)";

    public Task<BenchmarkResult> RunAsync(IReadOnlyList<string> arguments, TextWriter output, CancellationToken cancellationToken)
    {
        var root = NabBenchmark.Argument(arguments, "--out") ?? throw new ArgumentException("corpus needs --out DIR.");
        var seed = Count(arguments, "--seed", 1);
        var nab = NabBenchmark.DefaultDataFolder();
        var m4 = Path.GetFullPath(Path.Combine(nab, "..", "m4-hourly", "Hourly-train.csv"));
        var random = new Random(seed);
        var sources = RealSeriesSources.M4Hourly(m4, Count(arguments, "--m4", DefaultM4Series), random)
            .Concat(RealSeriesSources.NabWithoutAnomalies(nab))
            .Concat(SyntheticFamilies.All(Count(arguments, "--per-family", DefaultPerFamily), random))
            .ToArray();
        var corpus = CorpusGenerator.Generate(sources, random);
        if (Directory.Exists(root) && Directory.EnumerateFileSystemEntries(root).Any())
        {
            throw new IOException($"{root} is not empty: corpus writes into a new or empty folder.");
        }
        CorpusWriter.Write(root, corpus);

        var table = new ResultTable("category", "files", "windows", "rows", "series-days");
        foreach (var category in corpus.GroupBy(c => c.Category).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            table.AddRow(category.Key, category.Count(), category.Sum(c => c.Windows.Count), category.Sum(c => c.Series.Count), category.Sum(c => Days(c.Series)));
        }
        output.Write(table);
        output.WriteLine($"corpus (seed {seed}) in {root}: {corpus.Count} files, {corpus.Sum(c => c.Series.Count)} rows; what was injected where: injections.csv");
        return Task.FromResult(new BenchmarkResult()
            .Add("files", corpus.Count)
            .Add("windows", corpus.Sum(c => c.Windows.Count))
            .Add("rows", corpus.Sum(c => c.Series.Count))
            .Add("clean_series_days", corpus.Where(c => c.Category == CorpusGenerator.CleanCategory).Sum(c => Days(c.Series)), "F0"));
    }

    private static double Days(CorpusSeries series) => (series.Timestamps[^1] - series.Timestamps[0]).TotalDays;

    private static int Count(IReadOnlyList<string> arguments, string name, int fallback) =>
        NabBenchmark.Argument(arguments, name) is { } text ? int.Parse(text, CultureInfo.InvariantCulture) : fallback;
}
