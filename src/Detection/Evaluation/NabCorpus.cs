using System.Globalization;
using System.Text.Json;

namespace MetaAnomaly.Detection.Evaluation;

/// <summary>
/// A folder laid out like NAB's <c>data/</c>: <c>CATEGORY/FILE.csv</c> (<c>timestamp,value</c>) plus
/// <c>combined_windows.json</c> (labelled windows keyed by <c>CATEGORY/FILE.csv</c>) and <c>profiles.json</c>.
/// </summary>
public sealed class NabCorpus
{
    private static readonly string[] TimestampFormats = ["yyyy-MM-dd HH:mm:ss", "yyyy-MM-dd HH:mm:ss.ffffff", "yyyy-MM-dd HH:mm:ss.fff"];

    private NabCorpus(string root, IReadOnlyDictionary<string, IReadOnlyList<(DateTime Start, DateTime End)>> windows)
    {
        Root = root;
        Windows = windows;
    }

    public string Root { get; }

    /// <summary>The labelled windows per file. Only the scorer reads them, never the detector.</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<(DateTime Start, DateTime End)>> Windows { get; }

    /// <summary>The data files, <c>CATEGORY/FILE.csv</c>, in ordinal order.</summary>
    public IReadOnlyList<string> FileNames => Windows.Keys.Order(StringComparer.Ordinal).ToArray();

    public static NabCorpus Open(string root)
    {
        var path = Path.Combine(root, "combined_windows.json");
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"{root} is not a NAB data folder: combined_windows.json is missing.", path);
        }
        using var document = JsonDocument.Parse(File.ReadAllText(path));
        var windows = new Dictionary<string, IReadOnlyList<(DateTime, DateTime)>>(StringComparer.Ordinal);
        foreach (var file in document.RootElement.EnumerateObject())
        {
            windows[file.Name] = file.Value.EnumerateArray()
                .Select(w => (ParseTimestamp(w[0].GetString()!), ParseTimestamp(w[1].GetString()!)))
                .ToArray();
        }
        return new NabCorpus(root, windows);
    }

    public IReadOnlyList<NabProfile> Profiles()
    {
        var path = Path.Combine(Root, "profiles.json");
        return File.Exists(path) ? NabProfile.Load(path) : NabProfile.All;
    }

    /// <summary>Reads one data file's rows (<c>timestamp,value</c>).</summary>
    public (DateTime[] Timestamps, double[] Values) ReadData(string name) => ReadCsv(Path.Combine(Root, name), "value");

    /// <summary>
    /// Reads a detector's results in NAB's layout (<c>RESULTS/CATEGORY/DETECTOR_FILE.csv</c> with an
    /// <c>anomaly_score</c> column) for every file of the corpus, with the windows mapped onto rows.
    /// </summary>
    public IReadOnlyList<NabFile> ReadResults(string resultsRoot, string detector)
    {
        var files = new List<NabFile>();
        foreach (var name in FileNames)
        {
            var category = Path.GetDirectoryName(name)!;
            var path = Path.Combine(resultsRoot, category, $"{detector}_{Path.GetFileName(name)}");
            var (timestamps, scores) = ReadCsv(path, "anomaly_score");
            files.Add(new NabFile(name, timestamps, scores, NabFile.RowWindows(timestamps, Windows[name])));
        }
        return files;
    }

    public static DateTime ParseTimestamp(string text) =>
        DateTime.ParseExact(text, TimestampFormats, CultureInfo.InvariantCulture, DateTimeStyles.None);

    private static (DateTime[] Timestamps, double[] Values) ReadCsv(string path, string column)
    {
        using var reader = new StreamReader(path);
        var header = reader.ReadLine()?.Split(',') ?? throw new InvalidDataException($"{path} is empty.");
        var timeColumn = Array.IndexOf(header, "timestamp");
        var valueColumn = Array.IndexOf(header, column);
        if (timeColumn < 0 || valueColumn < 0)
        {
            throw new InvalidDataException($"{path} lacks the timestamp or {column} column.");
        }
        var timestamps = new List<DateTime>();
        var values = new List<double>();
        while (reader.ReadLine() is { } line)
        {
            if (line.Length == 0)
            {
                continue;
            }
            var cells = line.Split(',');
            timestamps.Add(ParseTimestamp(cells[timeColumn]));
            values.Add(double.Parse(cells[valueColumn], CultureInfo.InvariantCulture));
        }
        return (timestamps.ToArray(), values.ToArray());
    }
}
