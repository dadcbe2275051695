using System.Globalization;
using System.IO.Compression;
using System.Text.Json;
using MetaAnomaly.Detection.Scoring;
using MetaAnomaly.Shared.Forecasts;
using MetaAnomaly.Shared.Series;

namespace MetaAnomaly.Bench.Replay;

/// <summary>
/// A folder written by <c>bench nab --record DIR</c>: <c>recording.json</c> (the data folder and the settings of the
/// replay) and <c>inputs.tsv.gz</c>, one line per point the scoring cycle handed to the detector, in order, with the
/// tick's data time, the value, the served forecast (value, residual scale, anchor; only available forecasts reach the
/// detector), the cluster and whether the point primed the detector. Doubles are written round-trip, times as ticks.
/// </summary>
public sealed record DetectorRecording(string Folder, string Data, IReadOnlyList<KeyValuePair<string, string?>> Settings)
{
    internal const string InputsFile = "inputs.tsv.gz";
    internal const string Header = "now_ticks\tseries\ttimestamp_ticks\tvalue\tforecast\tresidual_scale\tanchor\tcluster\tpriming";
    private const string ManifestFile = "recording.json";

    public static DetectorRecording Create(string folder, string data, IReadOnlyList<KeyValuePair<string, string?>> settings)
    {
        Directory.CreateDirectory(folder);
        var manifest = new Manifest(Path.GetFullPath(data), settings.ToList());
        File.WriteAllText(Path.Combine(folder, ManifestFile), JsonSerializer.Serialize(manifest));
        return new DetectorRecording(folder, manifest.Data, settings);
    }

    public static DetectorRecording Open(string folder)
    {
        var path = Path.Combine(folder, ManifestFile);
        if (!File.Exists(path) || !File.Exists(Path.Combine(folder, InputsFile)))
        {
            throw new FileNotFoundException($"{folder} is not a detector recording (bench nab --record DIR): {ManifestFile} or {InputsFile} is missing.", path);
        }
        var manifest = JsonSerializer.Deserialize<Manifest>(File.ReadAllText(path))
            ?? throw new InvalidDataException($"{path} is empty.");
        return new DetectorRecording(folder, manifest.Data, manifest.Settings);
    }

    /// <summary>The recorded inputs in the order the detector received them, each with its tick's data time.</summary>
    public IEnumerable<(DateTimeOffset Now, DetectorInput Input)> Inputs()
    {
        using var reader = new StreamReader(new GZipStream(File.OpenRead(Path.Combine(Folder, InputsFile)), CompressionMode.Decompress));
        if (reader.ReadLine() != Header)
        {
            throw new InvalidDataException($"{Path.Combine(Folder, InputsFile)} does not start with the header {Header}.");
        }
        var keys = new Dictionary<string, SeriesKey>(StringComparer.Ordinal);
        while (reader.ReadLine() is { } line)
        {
            var f = line.Split('\t');
            if (!keys.TryGetValue(f[1], out var key))
            {
                keys[f[1]] = key = SeriesKey.Parse(f[1]);
            }
            var forecast = new OneStepForecast(key, true, Number(f[4]), Number(f[5]), null) { Anchor = Number(f[6]) };
            var input = new DetectorInput(key, Time(f[2]), Number(f[3]), forecast, f[7].Length > 0 ? f[7] : null, f[8] == "1");
            yield return (Time(f[0]), input);
        }
    }

    private static double Number(string text) => double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture);

    private static DateTimeOffset Time(string ticks) => new(long.Parse(ticks, CultureInfo.InvariantCulture), TimeSpan.Zero);

    private sealed record Manifest(string Data, List<KeyValuePair<string, string?>> Settings);
}
