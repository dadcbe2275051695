using System.Globalization;
using System.Text;
using System.Text.Json;

namespace MetaAnomaly.Bench.Corpus;

/// <summary>
/// Writes a corpus in NAB's data layout: <c>CATEGORY/FILE.csv</c> (<c>timestamp,value</c>), <c>combined_windows.json</c>
/// and <c>combined_labels.json</c> (the onsets), plus <c>injections.csv</c>, what was injected where, for a reader.
/// </summary>
internal static class CorpusWriter
{
    private const string TimeFormat = "yyyy-MM-dd HH:mm:ss";
    private const string WindowTimeFormat = "yyyy-MM-dd HH:mm:ss.ffffff";

    public static void Write(string root, IReadOnlyList<LabelledSeries> corpus)
    {
        Directory.CreateDirectory(root);
        foreach (var labelled in corpus)
        {
            var path = Path.Combine(root, labelled.FileName);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            var text = new StringBuilder("timestamp,value\n");
            for (var i = 0; i < labelled.Series.Count; i++)
            {
                text.Append(CultureInfo.InvariantCulture, $"{labelled.Series.Timestamps[i].ToString(TimeFormat, CultureInfo.InvariantCulture)},{labelled.Series.Values[i]:R}\n");
            }
            File.WriteAllText(path, text.ToString());
        }
        var ordered = corpus.OrderBy(c => c.FileName, StringComparer.Ordinal).ToArray();
        var json = new JsonSerializerOptions { WriteIndented = true };
        File.WriteAllText(Path.Combine(root, "combined_windows.json"), JsonSerializer.Serialize(
            ordered.ToDictionary(c => c.FileName, c => c.Windows.Select(w => new[] { Format(w.Start, WindowTimeFormat), Format(w.End, WindowTimeFormat) }).ToArray()), json));
        File.WriteAllText(Path.Combine(root, "combined_labels.json"), JsonSerializer.Serialize(
            ordered.ToDictionary(c => c.FileName, c => c.Injections.Select(i => Format(i.Onset, TimeFormat)).ToArray()), json));
        var manifest = new StringBuilder("file,family,rows,scale,kind,onset,last,description\n");
        foreach (var labelled in ordered)
        {
            var series = labelled.Series;
            var rows = labelled.Injections.Count == 0 ? [(Injection?)null] : labelled.Injections.Select(i => (Injection?)i);
            foreach (var injection in rows)
            {
                manifest.Append(CultureInfo.InvariantCulture,
                    $"{labelled.FileName},{series.Family},{series.Count},{series.Scale:G4},{injection?.Kind.ToString() ?? "none"},{(injection is null ? "" : Format(injection.Onset, TimeFormat))},{(injection is null ? "" : Format(injection.End, TimeFormat))},\"{injection?.Description}\"\n");
            }
        }
        File.WriteAllText(Path.Combine(root, "injections.csv"), manifest.ToString());
    }

    private static string Format(DateTime time, string format) => time.ToString(format, CultureInfo.InvariantCulture);
}
