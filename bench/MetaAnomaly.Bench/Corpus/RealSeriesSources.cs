using System.Globalization;
using MetaAnomaly.Detection.Evaluation;

namespace MetaAnomaly.Bench.Corpus;

/// <summary>
/// The real series the corpus starts from: M4's hourly training parts (the test horizons are never read) and NAB's
/// development files without anomalies. Neither was labelled by anyone here.
/// </summary>
internal static class RealSeriesSources
{
    private static readonly DateTime FirstStart = new(2024, 1, 1);

    /// <summary>
    /// <paramref name="count"/> series drawn without replacement from <c>Hourly-train.csv</c> (rows <c>"H1","605",...</c>,
    /// trailing cells empty), hourly from a midnight drawn within a year.
    /// </summary>
    public static IEnumerable<CorpusSeries> M4Hourly(string trainCsv, int count, Random random)
    {
        var rows = File.ReadLines(trainCsv).Skip(1).Select(line => line.Split(',').Select(c => c.Trim('"')).ToArray()).ToArray();
        foreach (var row in random.Shuffled(rows).Take(count))
        {
            var values = row.Skip(1).Where(c => c.Length > 0).Select(c => double.Parse(c, CultureInfo.InvariantCulture)).ToArray();
            var start = FirstStart.AddDays(random.Next(365));
            yield return new CorpusSeries($"m4_{row[0]}", "m4-hourly", values.Select((_, i) => start.AddHours(i)).ToArray(), values);
        }
    }

    /// <summary>Every file of NAB's <c>artificialNoAnomaly</c> folder, as it is.</summary>
    public static IEnumerable<CorpusSeries> NabWithoutAnomalies(string nabRoot)
    {
        var corpus = NabCorpus.Open(nabRoot);
        foreach (var name in corpus.FileNames.Where(n => n.StartsWith("artificialNoAnomaly/", StringComparison.Ordinal)))
        {
            var (timestamps, values) = corpus.ReadData(name);
            yield return new CorpusSeries($"nab_{Path.GetFileNameWithoutExtension(name)}", "nab-no-anomaly", timestamps, values);
        }
    }
}
