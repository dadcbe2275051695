namespace MetaAnomaly.Bench.Corpus;

/// <summary>A series as it is written: its category (folder), its final rows, what was injected and its NAB windows.</summary>
internal sealed record LabelledSeries(string Category, CorpusSeries Series, IReadOnlyList<Injection> Injections, IReadOnlyList<(DateTime Start, DateTime End)> Windows)
{
    public string FileName => $"{Category}/{Series.Name}.csv";
}
