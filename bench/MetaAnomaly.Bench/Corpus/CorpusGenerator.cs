namespace MetaAnomaly.Bench.Corpus;

/// <summary>
/// Turns the source series into a labelled corpus, all from one seed: a third of the series (rounded up) stay clean;
/// each other series gets the anomaly kind that fits it and has the fewest series so far (one category per kind), once
/// or twice, at onsets after NAB's probation and the detector's warm-up; NAB's windows (10 % of the file's rows over
/// its windows, centred on each onset); then missing-data gaps, which are not anomalies, on a quarter of all series,
/// outside every window.
/// </summary>
internal static class CorpusGenerator
{
    public const string CleanCategory = "clean";

    /// <summary>No onset before this row: the detector scores nothing before its warm-up (256 points) ends.</summary>
    private const int FirstOnsetRow = 320;
    private const double WindowFraction = 0.1;

    public static IReadOnlyList<LabelledSeries> Generate(IReadOnlyList<CorpusSeries> sources, Random random)
    {
        var shuffled = random.Shuffled(sources);
        var cleanCount = (shuffled.Length + 2) / 3;
        var perKind = Enum.GetValues<AnomalyKind>().ToDictionary(k => k, _ => 0);
        var corpus = new List<LabelledSeries>();
        for (var s = 0; s < shuffled.Length; s++)
        {
            var series = shuffled[s];
            List<Injection> injected = s < cleanCount ? [] : InjectFitting(series, perKind, random);
            if (injected.Count == 0)
            {
                AddGaps(series, [], random);
                corpus.Add(new LabelledSeries(CleanCategory, series, [], []));
                continue;
            }
            perKind[injected[0].Kind]++;
            if (injected.Any(i => i.EndsFile))
            {
                var last = injected.Max(i => i.LastRow);
                series.KeepRows(row => row <= last);
            }
            var windows = Windows(series, injected);
            AddGaps(series, windows, random);
            corpus.Add(new LabelledSeries(injected[0].Kind.Category(), series, injected, Windows(series, injected)));
        }
        return corpus;
    }

    /// <summary>The kinds that fit the series, least used first; the first that can be placed is injected once or twice.</summary>
    private static List<Injection> InjectFitting(CorpusSeries series, Dictionary<AnomalyKind, int> perKind, Random random)
    {
        foreach (var kind in perKind.Where(k => AnomalyInjector.Fits(k.Key, series)).OrderBy(k => k.Value).Select(k => k.Key))
        {
            var count = AnomalyInjector.EndsFile(kind, series) ? 1 : random.Next(1, 3);
            var halfWindow = (int)(WindowFraction * series.Count / count / 2);
            var from = Math.Max((int)(0.15 * series.Count), FirstOnsetRow) + halfWindow;
            var to = series.Count - 1 - halfWindow;
            if (to <= from)
            {
                continue;
            }
            var injected = new List<Injection>();
            var part = (to - from) / count;
            for (var i = 0; i < count; i++)
            {
                var partFrom = from + i * part + (i > 0 ? halfWindow : 0);
                var partTo = from + (i + 1) * part - (i < count - 1 ? halfWindow : 0);
                if (partTo >= partFrom && AnomalyInjector.Inject(series, kind, partFrom, partTo, random) is { } injection)
                {
                    injected.Add(injection);
                }
            }
            if (injected.Count > 0)
            {
                return injected;
            }
        }
        return [];
    }

    /// <summary>NAB's rule: the windows share 10 % of the file's rows, each centred on its onset.</summary>
    private static List<(DateTime Start, DateTime End)> Windows(CorpusSeries series, IReadOnlyList<Injection> injected)
    {
        var half = (int)(WindowFraction * series.Count / injected.Count / 2);
        return injected.Select(i =>
        {
            var onset = series.RowAtOrBefore(i.Onset);
            return (series.Timestamps[Math.Max(0, onset - half)], series.Timestamps[Math.Min(series.Count - 1, onset + half)]);
        }).ToList();
    }

    /// <summary>On a quarter of the series, one or two gaps of 1 to 48 hours, none touching a window nor the first or last row.</summary>
    private static void AddGaps(CorpusSeries series, IReadOnlyList<(DateTime Start, DateTime End)> windows, Random random)
    {
        if (random.Next(4) != 0)
        {
            return;
        }
        var gaps = new List<(DateTime Start, DateTime End)>();
        for (var gap = random.Next(1, 3); gap > 0; gap--)
        {
            var start = series.Timestamps[random.Next(1, series.Count - 1)];
            var end = start.AddHours(random.Uniform(1, 48));
            if (end < series.Timestamps[^1] && !windows.Concat(gaps).Any(w => start <= w.End && end >= w.Start))
            {
                gaps.Add((start, end));
            }
        }
        series.KeepRows(row => !gaps.Any(g => series.Timestamps[row] >= g.Start && series.Timestamps[row] <= g.End));
    }
}
