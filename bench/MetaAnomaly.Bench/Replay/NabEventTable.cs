using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using MetaAnomaly.Detection.Evaluation;
using MetaAnomaly.Detection.Events;

namespace MetaAnomaly.Bench.Replay;

/// <summary>
/// <c>bench nab --events FILE</c>: every event the product stored, as it was last changed, one TSV row each: the file
/// and its category, start and end in the file's own time, its points, whether it touches a labelled window (an event
/// outside every window is a false alarm), the alarm rule, the statistic that raised the surprise, the peak surprise
/// and the reason in words, so that false alarms can be read.
/// </summary>
internal static partial class NabEventTable
{
    internal const string Header = "file\tcategory\tstart\tend\tpoints\tin_window\trule\traised_by\tpeak_surprise\treason";

    public static void Write(string path, IReadOnlyList<NabReplayFile> files, NabCorpus corpus, IEnumerable<EventChange> changes)
    {
        var byKey = files.ToDictionary(f => f.Key.ToString(), StringComparer.Ordinal);
        var stored = new Dictionary<(string Series, DateTimeOffset Start), AnomalyEvent>();
        foreach (var change in changes)
        {
            stored[(change.Event.SeriesKey, change.Event.Start)] = change.Event;
        }
        var text = new StringBuilder(Header).Append('\n');
        foreach (var (file, anomaly) in stored.Values
                     .Where(e => byKey.ContainsKey(e.SeriesKey))
                     .Select(e => (File: byKey[e.SeriesKey], Event: e))
                     .OrderBy(r => r.File.Name, StringComparer.Ordinal).ThenBy(r => r.Event.Start))
        {
            var (start, end) = (file.FileTime(anomaly.Start), file.FileTime(anomaly.End));
            var inWindow = corpus.Windows[file.Name].Any(w => start <= w.End && end >= w.Start);
            text.Append(CultureInfo.InvariantCulture,
                $"{file.Name}\t{Path.GetDirectoryName(file.Name)}\t{start:yyyy-MM-dd HH:mm:ss}\t{end:yyyy-MM-dd HH:mm:ss}\t{anomaly.Points}\t{(inWindow ? 1 : 0)}\t{anomaly.Rule}\t{RaisedBy(anomaly.Reason)}\t{anomaly.Surprise ?? double.NaN:F2}\t{Clean(anomaly.Reason)}\n");
        }
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        File.WriteAllText(path, text.ToString());
    }

    /// <summary>The statistic the alarm rule's reason names ("... surprise 5.4 from the sustained score (...) reached ..."), or "-".</summary>
    private static string RaisedBy(string? reason) =>
        reason is not null && FiredFrom().Match(reason) is { Success: true } fired ? Clean(fired.Groups[1].Value) : "-";

    private static string Clean(string? text) => string.IsNullOrEmpty(text) ? "-" : text.Replace('\t', ' ').Replace('\n', ' ');

    [GeneratedRegex(@"fired: surprise \S+ from (.+) reached its threshold")]
    private static partial Regex FiredFrom();
}
