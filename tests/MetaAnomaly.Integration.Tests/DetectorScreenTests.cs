extern alias bench;

using System.Globalization;
using System.Text;
using bench::MetaAnomaly.Bench;

namespace MetaAnomaly.Integration.Tests;

/// <summary>
/// <c>bench nab --from DIR</c> runs the product's detector over what a full replay's detector received
/// (<c>--record DIR</c>): with unchanged options it must reproduce the replay's scored rows exactly.
/// </summary>
public sealed class DetectorScreenTests : IDisposable
{
    private static readonly DateTime Start = new(2025, 1, 6, 0, 0, 0, DateTimeKind.Unspecified);
    private static readonly TimeSpan Step = TimeSpan.FromMinutes(5);
    private readonly DirectoryInfo _root = Directory.CreateTempSubdirectory("metaanomaly-screen-test-");

    [Fact]
    public async Task TheScreenOverARecordingReproducesTheFullReplaysScoresRowForRow()
    {
        var data = WriteCorpus();
        string[] shared = ["--data", data, "--set", "Forecasting:MetaTrainingSteps=20", "--set", "Forecasting:Device=cpu"];
        var recording = Path.Combine(_root.FullName, "recording");
        var replayed = Path.Combine(_root.FullName, "replayed");
        var screened = Path.Combine(_root.FullName, "screened");

        var replay = await new NabBenchmark().RunAsync([.. shared, "--record", recording, "--out", replayed], TextWriter.Null, CancellationToken.None);
        var screen = await new NabBenchmark().RunAsync(["--from", recording, "--out", screened], TextWriter.Null, CancellationToken.None);

        var spikeRows = File.ReadAllLines(Path.Combine(replayed, "withspike", "metaanomaly_spike.csv"));
        Assert.Contains(spikeRows.Skip(1), row => double.Parse(row.Split(',')[2], CultureInfo.InvariantCulture) > 0);
        foreach (var name in new[] { "withspike/metaanomaly_spike.csv", "clean/metaanomaly_flat.csv" })
        {
            Assert.Equal(File.ReadAllLines(Path.Combine(replayed, name)), File.ReadAllLines(Path.Combine(screened, name)));
        }
        Assert.Equal(replay.ToResultLine("nab"), screen.ToResultLine("nab"));
    }

    [Fact]
    public async Task TheScreenHonoursADetectionSettingOverTheRecordedOnes()
    {
        var recording = await RecordAsync();

        var screened = Path.Combine(_root.FullName, "screened");
        await new NabBenchmark().RunAsync(["--from", recording, "--out", screened, "--set", "Detection:Warmup:Points=100000"], TextWriter.Null, CancellationToken.None);

        var rows = File.ReadAllLines(Path.Combine(screened, "withspike", "metaanomaly_spike.csv")).Skip(1);
        Assert.All(rows, row => Assert.Equal(0, double.Parse(row.Split(',')[2], CultureInfo.InvariantCulture)));
    }

    [Fact]
    public async Task TheEventsFileListsTheSpikesEventInItsWindowWithTheReasonThatRaisedIt()
    {
        var recording = await RecordAsync();

        var events = Path.Combine(_root.FullName, "events.tsv");
        await new NabBenchmark().RunAsync(["--from", recording, "--out", Path.Combine(_root.FullName, "screened"), "--events", events], TextWriter.Null, CancellationToken.None);

        var lines = File.ReadAllLines(events);
        Assert.Equal("file\tcategory\tstart\tend\tpoints\tin_window\trule\traised_by\tpeak_surprise\treason", lines[0]);
        var spike = lines.Skip(1).Select(l => l.Split('\t')).Single(f => f[0] == "withspike/spike.csv" && f[2] == "2025-01-11 12:00:00");
        Assert.Equal("1", spike[5]);
        Assert.Equal("default", spike[6]);
        Assert.NotEqual("-", spike[7]);
        Assert.Contains("rule 'default' fired", spike[9], StringComparison.Ordinal);
        Assert.All(lines.Skip(1).Select(l => l.Split('\t')).Where(f => f[1] == "clean"), f => Assert.Equal("0", f[5]));
    }

    [Fact]
    public async Task TheTraceListsEveryPointOfTheTracedSeriesWithTheScoreItsScaleGives()
    {
        var recording = await RecordAsync();

        var screened = Path.Combine(_root.FullName, "screened");
        await new NabBenchmark().RunAsync(["--from", recording, "--out", screened, "--trace", "withspike/spike"], TextWriter.Null, CancellationToken.None);

        var lines = File.ReadAllLines(Path.Combine(screened, "trace.tsv"));
        Assert.Equal("series\ttimestamp\tpriming\tvalue\tforecast\tanchor\texpected\tscale\tscore\tsurprise\tscored\tanomalous\treason", lines[0]);
        var rows = lines.Skip(1).Select(l => l.Split('\t')).ToArray();
        Assert.All(rows, f => Assert.Contains("withspike/spike.csv", f[0], StringComparison.Ordinal));
        Assert.Contains(rows, f => f[2] == "1");
        Assert.Contains(rows, f => f[2] == "0" && f[7].Length > 0);
        var results = rows.Where(f => f[7].Length > 0).ToArray();
        Assert.All(results, f => Assert.Equal(Number(f[3]) - Number(f[6]), Number(f[8]) * Number(f[7]), 6));
        var times = rows.Select(f => DateTime.Parse(f[1], CultureInfo.InvariantCulture)).ToArray();
        Assert.True(times.Zip(times.Skip(1)).All(t => t.First < t.Second));
    }

    [Fact]
    public async Task TheTraceWithoutARecordingIsRefused()
    {
        var data = WriteCorpus();

        await Assert.ThrowsAsync<ArgumentException>(() => new NabBenchmark().RunAsync(
            ["--data", data, "--trace", "clean/flat", "--out", Path.Combine(_root.FullName, "replayed")], TextWriter.Null, CancellationToken.None));
    }

    private static double Number(string text) => double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture);

    /// <summary>A full replay of <see cref="WriteCorpus"/> with <c>--record</c>; returns the recording's folder.</summary>
    private async Task<string> RecordAsync()
    {
        var recording = Path.Combine(_root.FullName, "recording");
        await new NabBenchmark().RunAsync(
            ["--data", WriteCorpus(), "--set", "Forecasting:MetaTrainingSteps=20", "--set", "Forecasting:Device=cpu", "--record", recording, "--out", Path.Combine(_root.FullName, "replayed")],
            TextWriter.Null, CancellationToken.None);
        return recording;
    }

    /// <summary>Six days at 5 minutes: a daily cycle with a spike on day 5 (one window around it), and a clean file.</summary>
    private string WriteCorpus()
    {
        var data = Path.Combine(_root.FullName, "data");
        var random = new Random(7);
        var spike = Start + TimeSpan.FromDays(5) + TimeSpan.FromHours(12);
        Write(Path.Combine(data, "withspike", "spike.csv"), at => 50 + 10 * Math.Sin(2 * Math.PI * (at - Start).TotalDays) + random.NextDouble() + (at == spike ? 30 : 0));
        Write(Path.Combine(data, "clean", "flat.csv"), at => 20 + 5 * Math.Cos(2 * Math.PI * (at - Start).TotalDays) + random.NextDouble());
        var window = $"[\"{spike.AddHours(-3):yyyy-MM-dd HH:mm:ss.ffffff}\", \"{spike.AddHours(3):yyyy-MM-dd HH:mm:ss.ffffff}\"]";
        File.WriteAllText(Path.Combine(data, "combined_windows.json"), $"{{\"withspike/spike.csv\": [{window}], \"clean/flat.csv\": []}}");
        return data;
    }

    private static void Write(string path, Func<DateTime, double> value)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var text = new StringBuilder("timestamp,value\n");
        for (var at = Start; at < Start + TimeSpan.FromDays(6); at += Step)
        {
            text.Append(CultureInfo.InvariantCulture, $"{at:yyyy-MM-dd HH:mm:ss},{value(at):R}\n");
        }
        File.WriteAllText(path, text.ToString());
    }

    public void Dispose() => _root.Delete(recursive: true);
}
