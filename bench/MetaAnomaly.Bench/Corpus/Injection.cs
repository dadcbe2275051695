namespace MetaAnomaly.Bench.Corpus;

/// <summary>One anomaly injected into a series: its onset (NAB's label, the centre of its window), the rows it
/// changed, and its size in the series' robust scales, in words.</summary>
/// <param name="End">The time of its last changed row (a level shift that stays: the file's last).</param>
/// <param name="EndsFile">True when the file ends where the anomaly does (a drift to failure).</param>
internal sealed record Injection(AnomalyKind Kind, DateTime Onset, int OnsetRow, int LastRow, DateTime End, string Description, bool EndsFile = false);
