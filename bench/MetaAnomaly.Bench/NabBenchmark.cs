using System.Diagnostics;
using System.Globalization;
using System.Text;
using MetaAnomaly.Bench.Replay;
using MetaAnomaly.Detection;
using MetaAnomaly.Detection.Evaluation;
using MetaAnomaly.Detection.Events;
using MetaAnomaly.Detection.Scoring;
using MetaAnomaly.Detection.Sinks;
using MetaAnomaly.Shared.Statistics;
using MetaAnomaly.Forecasting.Extensions;
using MetaAnomaly.Forecasting.ReadModel;
using MetaAnomaly.Shared.Series;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using static TorchSharp.torch;

namespace MetaAnomaly.Bench;

/// <summary>
/// <c>nab [--data DIR] [--out DIR] [--files A,B] [--seed N] [--learner NAME] [--meta-steps N] [--set KEY=VALUE ...]
/// [--suppress HOURS] [--escalation SURPRISE] [--reference DIR] [--record DIR | --from DIR [--trace SERIES]] [--events FILE]</c>: replays every NAB-format file through the product
/// itself (<see cref="ProductReplay"/>: the host's own composition on a clock that replays data time), writes NAB's
/// results layout from the anomaly scores the product's detector produced, and scores it with the C# NAB scorer.
/// With no arguments it runs a fresh install's defaults; <c>--set</c> overrides any configuration key
/// (<c>--set Detection:Scoring:NotableDeviate=2.5</c>), <c>--learner</c> and <c>--meta-steps</c> are short for
/// <c>Forecasting:Learner</c> and <c>Forecasting:MetaTrainingSteps</c>, <c>--seed</c> for <c>Forecasting:Seed</c>.
/// <c>--record DIR</c> also writes what the detector received (<see cref="DetectorRecording"/>); <c>--from DIR</c>
/// screens a detector instead of replaying: the product's detector, with the recording's settings and any
/// <c>--set</c>, over the recorded inputs (<see cref="DetectorScreen"/>), scored and reported the same way.
/// <c>--events FILE</c> writes every event the product stored, with its reason (<see cref="NabEventTable"/>).
/// </summary>
/// <remarks>
/// All files stream into ONE instance, as an operator's metrics do: each file is moved by whole weeks (weekday and
/// time of day kept) to start in the same week, its points are pushed as data time reaches them, and the product
/// finds periods, forms clusters, meta-trains, adapts daily and scores by itself. Strictly causal; the labels are read
/// only by the scorer. Two conventions are NAB's, not the product's, and live here: a row's anomaly score is
/// surprise / (surprise + 10) (monotone, so NAB's threshold sweep ranks points as the product does), and a row is
/// reported only outside a cool-down of <c>--suppress</c> hours after the previous report, unless its surprise exceeds
/// the reported peak there by <c>--escalation</c> (the product alerts once per event).
/// </remarks>
public sealed class NabBenchmark : IBenchmark
{
    private const string DetectorName = "metaanomaly";
    private const double SuppressHours = 12;
    private const double EscalationSurprise = 2;
    private static readonly TimeSpan ReplayTick = TimeSpan.FromMinutes(15);
    private static readonly DateTimeOffset ReplayWeek = new(2025, 1, 6, 0, 0, 0, TimeSpan.Zero);

    public string Name => "nab";

    public string Description => "NAB replay through the product's own composition, scored with NAB's three profiles (--data DIR, --set KEY=VALUE, --record DIR, --from DIR [--trace SERIES], --events FILE)";

    public async Task<BenchmarkResult> RunAsync(IReadOnlyList<string> arguments, TextWriter output, CancellationToken cancellationToken)
    {
        var recording = Argument(arguments, "--from") is { } from ? DetectorRecording.Open(from) : null;
        var data = Argument(arguments, "--data") ?? recording?.Data ?? DefaultDataFolder();
        var results = Argument(arguments, "--out") ?? Path.Combine(Path.GetTempPath(), "metaanomaly-nab-results");
        var clock = Stopwatch.StartNew();
        var seed = Argument(arguments, "--seed") is { } seedText ? int.Parse(seedText, CultureInfo.InvariantCulture) : ForecastingOptions.Defaults.Seed;
        manual_seed(seed);
        List<KeyValuePair<string, string?>> settings = recording is null
            ? [new("Forecasting:Seed", seed.ToString(CultureInfo.InvariantCulture)), .. Overrides(arguments)]
            : [.. recording.Settings, .. Overrides(arguments)];

        var corpus = NabCorpus.Open(data);
        var only = Argument(arguments, "--files")?.Split(',');
        var files = corpus.FileNames.Where(name => only is null || only.Any(o => name.Contains(o, StringComparison.Ordinal)))
            .Select(name => NabReplayFile.Read(corpus, name, ReplayWeek)).ToArray();
        var source = recording is null ? "into one product instance" : $"screened through the detector from the recording {recording.Folder}";
        output.WriteLine($"nab: {files.Length} files from {data} {source}; settings: {string.Join(", ", settings.Select(s => $"{s.Key}={s.Value}"))}");

        var trace = Argument(arguments, "--trace") is { } traced ? new DetectorTrace(traced) : null;
        if (trace is not null && recording is null)
        {
            throw new ArgumentException("--trace SERIES needs --from DIR: it traces the detector screen.");
        }
        var (recorder, detection) = recording is null
            ? await ReplayAsync(files, settings, Argument(arguments, "--record") is { } folder ? DetectorRecording.Create(folder, data, settings) : null, output, clock, cancellationToken)
            : await DetectorScreen.RunAsync(recording, settings, trace, cancellationToken);
        var replaySeconds = clock.Elapsed.TotalSeconds;

        var suppressFor = TimeSpan.FromHours(Argument(arguments, "--suppress") is { } text ? double.Parse(text, CultureInfo.InvariantCulture) : SuppressHours);
        var escalation = Argument(arguments, "--escalation") is { } margin ? double.Parse(margin, CultureInfo.InvariantCulture) : EscalationSurprise;
        var reported = files.ToDictionary(f => f.Name, f => Suppress(f.RowScores(recorder.PointsOf(f.Key), AnomalyScore), f.Timestamps, suppressFor, escalation));
        foreach (var file in files)
        {
            WriteResults(results, file.Name, file.Timestamps, file.Values, reported[file.Name], corpus.Windows[file.Name]);
        }
        var scored = only is null
            ? corpus.ReadResults(results, DetectorName)
            : files.Select(f => new NabFile(f.Name, f.Timestamps, reported[f.Name], NabFile.RowWindows(f.Timestamps, corpus.Windows[f.Name]))).ToArray();
        var profiles = NabProfile.All.Select(known => corpus.Profiles().FirstOrDefault(p => p.Name == known.Name) ?? known)
            .Select(p => NabScorer.Score(scored, p)).ToArray();
        output.WriteLine($"standard profile threshold: anomaly_score {profiles[0].Threshold:F4} (calibrated surprise {Surprise(profiles[0].Threshold):F2})");
        var productThreshold = detection.EffectiveRules[0].Threshold;
        var atThreshold = profiles.Select(p => AtProductThreshold(scored, p.Profile, productThreshold)).ToArray();
        output.WriteLine($"at the product's alarm threshold instead (probability {productThreshold}) on every row: {string.Join(" / ", profiles.Select((p, i) => $"{p.Profile.Name} {atThreshold[i].NormalizedScore:F1}"))}");
        var alarmed = files.Select(f => new NabFile(f.Name, f.Timestamps,
            Suppress(f.RowScores(recorder.PointsOf(f.Key), AlarmScore), f.Timestamps, suppressFor, escalation),
            NabFile.RowWindows(f.Timestamps, corpus.Windows[f.Name]))).ToArray();
        var atDefault = profiles.Select(p => OnAlarms(alarmed, p.Profile)).ToArray();
        output.WriteLine($"on the product's own alarms (its rules at their default thresholds and durations): {string.Join(" / ", profiles.Select((p, i) => $"{p.Profile.Name} {atDefault[i].NormalizedScore:F1}"))}");
        var (falseAlarms, cleanSeriesDays) = CleanFalseAlarms(files, corpus, recorder);
        var falseAlarmRate = cleanSeriesDays > 0 ? 1000 * falseAlarms / cleanSeriesDays : double.NaN;
        output.WriteLine($"false alarms (events the product opened) on the files of categories without windows: {falseAlarms} over {cleanSeriesDays:F0} scored series-days, {falseAlarmRate:F1} per 1,000 series-days");
        if (trace is not null)
        {
            var traceFile = Path.Combine(results, "trace.tsv");
            trace.Write(traceFile);
            output.WriteLine($"trace in {traceFile}");
        }
        if (Argument(arguments, "--events") is { } eventsFile)
        {
            NabEventTable.Write(eventsFile, files, corpus, recorder.Changes);
            output.WriteLine($"events in {eventsFile}");
        }
        output.Write(FileTable(scored, profiles[0]));
        output.WriteLine();
        if (Argument(arguments, "--reference") is { } reference)
        {
            var referenceFiles = corpus.ReadResults(reference, Path.GetFileName(Path.TrimEndingDirectorySeparator(reference)));
            var referenceScore = NabScorer.Score(referenceFiles, NabProfile.Standard);
            output.WriteLine($"reference {reference}: standard {referenceScore.NormalizedScore:F1} at threshold {referenceScore.Threshold:G4}");
            output.Write(FileTable(referenceFiles, referenceScore));
            output.WriteLine();
        }
        var (categoryTable, categoryScores) = CategoryTable(scored, profiles[0], atDefault[0]);
        output.Write(categoryTable);
        output.WriteLine();
        var totals = new ResultTable("detector", "standard", "reward_low_FP", "reward_low_FN");
        totals.AddRow($"MetaAnomaly (product defaults{(settings.Count > 1 ? " + settings" : "")})", profiles[0].NormalizedScore, profiles[1].NormalizedScore, profiles[2].NormalizedScore);
        totals.AddRow("contextOSE (published)", 77.0, 73.0, 80.7);
        totals.AddRow("Numenta HTM (published)", 75.4, 70.4, 78.9);
        totals.AddRow("ARTime (published)", 74.8, 66.2, 79.9);
        output.Write(totals);
        output.WriteLine($"results in {results}; {clock.Elapsed.TotalSeconds:F0} s in all ({replaySeconds:F0} s replay)");

        var result = new BenchmarkResult()
            .Add("standard", profiles[0].NormalizedScore, "F1")
            .Add("low_fp", profiles[1].NormalizedScore, "F1")
            .Add("low_fn", profiles[2].NormalizedScore, "F1")
            .Add("default_threshold_standard", atDefault[0].NormalizedScore, "F1");
        if (categoryScores.Count > 0)
        {
            result.Add("mean_category", categoryScores.Values.Average(s => s.Swept), "F1").Add("worst_category", categoryScores.Values.Min(s => s.Swept), "F1")
                .Add("default_threshold_mean_category", categoryScores.Values.Average(s => s.AtDefault), "F1");
        }
        return result.Add("false_alarms_per_1000_series_days", falseAlarmRate, "F1");
    }

    /// <summary>
    /// The full product replay (optionally writing what its detector received to <paramref name="recording"/>): the
    /// points its detector scored and its options. It prints the clusters and how the served forecasts fared against
    /// their anchors per file-day (<see cref="ForecastAgainstAnchor"/>).
    /// </summary>
    private static async Task<(ScoredPointRecorder Recorder, DetectionOptions Options)> ReplayAsync(
        NabReplayFile[] files, List<KeyValuePair<string, string?>> settings, DetectorRecording? recording, TextWriter output, Stopwatch clock,
        CancellationToken cancellationToken)
    {
        var againstAnchor = new ForecastAgainstAnchor();
        using var replay = ProductReplay.Compose(ReplayWeek, settings, services =>
        {
            services.AddSingleton<IDetectionSink>(againstAnchor);
            if (recording is not null)
            {
                services.AddSingleton<IDetectionSink>(sp => new DetectorRecordingWriter(recording.Folder, sp.GetRequiredService<TimeProvider>()));
            }
        });
        await StreamAsync(replay, files, output, clock, cancellationToken);
        output.Write(ClusterTable(replay.Services.GetRequiredService<IForecastingReadModel>(), files));
        output.WriteLine(againstAnchor.Tally(files.Select(f => f.Key)));
        return (replay.Recorder, replay.Services.GetRequiredService<IOptions<DetectionOptions>>().Value);
    }

    /// <summary>The configuration a run overrides besides the seed: <c>--learner</c>, <c>--meta-steps</c> and each <c>--set KEY=VALUE</c>.</summary>
    private static List<KeyValuePair<string, string?>> Overrides(IReadOnlyList<string> arguments)
    {
        var settings = new List<KeyValuePair<string, string?>>();
        if (Argument(arguments, "--learner") is { } learner)
        {
            settings.Add(new("Forecasting:Learner", learner));
        }
        if (Argument(arguments, "--meta-steps") is { } steps)
        {
            settings.Add(new("Forecasting:MetaTrainingSteps", steps));
        }
        foreach (var setting in arguments.Where((_, i) => i > 0 && arguments[i - 1] == "--set"))
        {
            var parts = setting.Split('=', 2);
            if (parts.Length != 2 || !parts[0].Contains(':'))
            {
                throw new ArgumentException($"--set takes a configuration key and value, as in --set Detection:Scoring:NotableDeviate=2.5; got '{setting}'.");
            }
            settings.Add(new(parts[0], parts[1]));
        }
        return settings;
    }

    /// <summary>
    /// Pushes every file's rows as data time reaches them and advances the product one replay tick (15 minutes of data
    /// time) at a time, stopping at each daily adaptation's cron time so that no point after it is pushed before it runs.
    /// The host ticks more often (scoring every 2 s, catch-up every 30 s); a scoring tick scores each series' whole
    /// backlog in order, so the coarser tick only delays when a new series is first picked up.
    /// </summary>
    private static async Task StreamAsync(ProductReplay replay, NabReplayFile[] files, TextWriter output, Stopwatch clock, CancellationToken cancellationToken)
    {
        var stream = files.SelectMany(f => f.Points()).OrderBy(p => p.Timestamp).ToArray();
        var end = stream[^1].Timestamp + ReplayTick;
        var next = 0;
        var scoredPoints = 0;
        var lastReport = ReplayWeek;
        for (var now = ReplayWeek; now <= end; now = Min(now + ReplayTick, replay.NextAdaptation))
        {
            cancellationToken.ThrowIfCancellationRequested();
            var from = next;
            while (next < stream.Length && stream[next].Timestamp <= now)
            {
                next++;
            }
            if (next > from)
            {
                replay.Push(stream.AsSpan(from, next - from));
            }
            scoredPoints += await replay.AdvanceToAsync(now, cancellationToken);
            if (now - lastReport >= TimeSpan.FromDays(7))
            {
                lastReport = now;
                output.WriteLine($"  data time {now:yyyy-MM-dd}: {next} of {stream.Length} points pushed, {scoredPoints} scored ({clock.Elapsed.TotalSeconds:F0} s)");
            }
        }
    }

    private static DateTimeOffset Min(DateTimeOffset a, DateTimeOffset b) => a < b ? a : b;

    private static ResultTable ClusterTable(IForecastingReadModel readModel, NabReplayFile[] files)
    {
        var table = new ResultTable("cluster", "period", "members", "learner", "validation error");
        foreach (var cluster in readModel.Clusters())
        {
            table.AddRow(cluster.Id, cluster.Period, cluster.Members.Count, cluster.Learner ?? "-", cluster.ValidationError ?? double.NaN);
        }
        var states = files.Select(f => readModel.SeriesStates().FirstOrDefault(s => s.Key == f.Key)).ToArray();
        var anchored = states.Count(s => s?.Reason?.StartsWith("serves its anchor", StringComparison.Ordinal) == true);
        table.AddRow("(series serving their anchor at the end)", "", anchored, "", "");
        return table;
    }

    /// <summary>
    /// Reports a row's score only when no row of the <paramref name="coolDown"/> before it was reported, or when its
    /// surprise exceeds the largest reported there by <paramref name="escalation"/>: the event cool-down and an
    /// escalation, in NAB's per-row form. The product alerts once per event, so an incident whose surprise climbs by
    /// small steps is one alert there, and a second one only when it gets clearly worse. In data time, not rows:
    /// several NAB files are sampled irregularly, with gaps of hours or days. Causal: looks back only.
    /// </summary>
    private static double[] Suppress(double[] raw, DateTime[] timestamps, TimeSpan coolDown, double escalation)
    {
        var kept = new double[raw.Length];
        var from = 0;
        for (var i = 0; i < raw.Length; i++)
        {
            while (timestamps[from] < timestamps[i] - coolDown)
            {
                from++;
            }
            var reported = 0.0;
            for (var j = from; j < i; j++)
            {
                reported = Math.Max(reported, kept[j]);
            }
            kept[i] = raw[i] > 0 && (reported == 0 || Surprise(raw[i]) > Surprise(reported) + escalation) ? raw[i] : 0;
        }
        return kept;
    }

    /// <summary>NAB's score with the threshold fixed at the alarm probability an operator gets by default, instead of
    /// NAB's best threshold for the corpus, applied to every reported row.</summary>
    private static NabScore AtProductThreshold(IReadOnlyList<NabFile> files, NabProfile profile, double probability)
    {
        var surprise = NormalQuantile.Of(probability);
        return AtThreshold(files, profile, surprise / (surprise + 10));
    }

    /// <summary>
    /// NAB's score of the rows the product itself alarmed on (a point its alarm rules found anomalous), with NAB's
    /// per-row cool-down among those rows alone: what an operator running the defaults is shown.
    /// </summary>
    private static NabScore OnAlarms(IReadOnlyList<NabFile> alarmed, NabProfile profile) => AtThreshold(alarmed, profile, double.Epsilon);

    private static NabScore AtThreshold(IReadOnlyList<NabFile> files, NabProfile profile, double threshold)
    {
        var windows = files.Sum(f => f.Windows.Count);
        var perFile = files.Select(f => NabScorer.ScoreFile(f, profile, threshold)).ToArray();
        var raw = perFile.Sum(p => p.RawScore);
        return new NabScore(profile, threshold, raw, NabScorer.Normalize(raw, -windows * profile.FnWeight, windows * profile.TpWeight), windows, perFile);
    }

    /// <summary>
    /// The events the product itself opened (at its default threshold, before NAB's per-row conventions) on the files
    /// of categories that have no window at all (the corpus' <c>clean</c>, NAB's <c>artificialNoAnomaly</c>), and the
    /// series-days they were watched: from each file's first scored point to its last row.
    /// </summary>
    private static (int Events, double SeriesDays) CleanFalseAlarms(NabReplayFile[] files, NabCorpus corpus, ScoredPointRecorder recorder)
    {
        var clean = files.GroupBy(f => Path.GetDirectoryName(f.Name)!)
            .Where(category => category.All(f => corpus.Windows[f.Name].Count == 0))
            .SelectMany(category => category)
            .ToDictionary(f => f.Key.ToString());
        var events = recorder.Changes.Count(c => c.Kind == EventChangeKind.Opened && clean.ContainsKey(c.Event.SeriesKey));
        var days = clean.Values.Sum(f => recorder.PointsOf(f.Key).FirstOrDefault(p => p.Scored) is { } first
            ? (f.ReplayedEnd - first.Timestamp).TotalDays
            : 0);
        return (events, days);
    }

    /// <summary>NAB's anomaly_score in [0, 1): a monotone, non-saturating map of the calibrated surprise.</summary>
    private static double AnomalyScore(ScoredPoint point) =>
        point.Scored && point.Surprise > 0 ? point.Surprise / (point.Surprise + 10) : 0;

    /// <summary>The <see cref="AnomalyScore"/> of a point the product's alarm rules found anomalous, else 0.</summary>
    private static double AlarmScore(ScoredPoint point) => point.Anomalous ? AnomalyScore(point) : 0;

    /// <summary>The calibrated surprise behind an <see cref="AnomalyScore"/>.</summary>
    private static double Surprise(double anomalyScore) => 10 * anomalyScore / (1 - anomalyScore);

    private static void WriteResults(string root, string name, DateTime[] timestamps, double[] values, double[] scores, IReadOnlyList<(DateTime Start, DateTime End)> windows)
    {
        var path = Path.Combine(root, Path.GetDirectoryName(name)!, $"{DetectorName}_{Path.GetFileName(name)}");
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var text = new StringBuilder("timestamp,value,anomaly_score,label\n");
        for (var i = 0; i < timestamps.Length; i++)
        {
            var label = windows.Any(w => timestamps[i] >= w.Start && timestamps[i] <= w.End) ? 1 : 0;
            text.Append(CultureInfo.InvariantCulture, $"{timestamps[i]:yyyy-MM-dd HH:mm:ss},{values[i]:R},{scores[i]:R},{label}\n");
        }
        File.WriteAllText(path, text.ToString());
    }

    /// <summary>Per file at the standard profile's threshold: where the score is lost (misses, false positives).</summary>
    private static ResultTable FileTable(IReadOnlyList<NabFile> files, NabScore standard)
    {
        var table = new ResultTable("file", "windows", "detected", "missed", "false positives", "raw score", "first detection (window fraction)");
        foreach (var part in standard.Files)
        {
            var file = files.First(f => f.Name == part.Name);
            var delays = file.Windows.Select(w => Enumerable.Range(w.Left, w.Width).FirstOrDefault(i => file.Scores[i] >= standard.Threshold, -1) is var first and >= 0
                ? ((first - w.Left) / (double)w.Width).ToString("F2", CultureInfo.InvariantCulture) : "-");
            table.AddRow(part.Name, file.Windows.Count, part.TruePositives, part.FalseNegatives, part.FalsePositives, part.RawScore, string.Join(" ", delays));
        }
        return table;
    }

    /// <summary>Per category at the standard profile's corpus threshold and at the product's default one, with each
    /// category's own normalised score at both.</summary>
    private static (ResultTable Table, Dictionary<string, (double Swept, double AtDefault)> Scores) CategoryTable(
        IReadOnlyList<NabFile> files, NabScore standard, NabScore atDefault)
    {
        var table = new ResultTable("category", "files", "windows", "detected", "missed", "false positives", "standard (category)",
            "detected at default", "false positives at default", "standard at default");
        var scores = new Dictionary<string, (double, double)>(StringComparer.Ordinal);
        foreach (var category in files.GroupBy(f => f.Category).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            var parts = standard.Files.Where(f => category.Any(c => c.Name == f.Name)).ToArray();
            var defaultParts = atDefault.Files.Where(f => category.Any(c => c.Name == f.Name)).ToArray();
            var windows = category.Sum(f => f.Windows.Count);
            if (windows > 0)
            {
                scores[category.Key] = (NabScorer.Normalize(parts.Sum(p => p.RawScore), -windows, windows),
                    NabScorer.Normalize(defaultParts.Sum(p => p.RawScore), -windows, windows));
            }
            string Score(Func<(double Swept, double AtDefault), double> which) =>
                windows == 0 ? "n/a" : which(scores[category.Key]).ToString("F1", CultureInfo.InvariantCulture);
            table.AddRow(category.Key, category.Count(), windows, parts.Sum(p => p.TruePositives), parts.Sum(p => p.FalseNegatives),
                parts.Sum(p => p.FalsePositives), Score(s => s.Swept),
                defaultParts.Sum(p => p.TruePositives), defaultParts.Sum(p => p.FalsePositives), Score(s => s.AtDefault));
        }
        return (table, scores);
    }

    internal static string? Argument(IReadOnlyList<string> arguments, string name)
    {
        var index = arguments.ToList().IndexOf(name);
        return index >= 0 && index + 1 < arguments.Count ? arguments[index + 1] : null;
    }

    /// <summary>../shared/data/nab beside the checkout (found from the working directory or the binary).</summary>
    internal static string DefaultDataFolder()
    {
        foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "MetaAnomaly.sln")))
                {
                    return Path.GetFullPath(Path.Combine(dir.FullName, "..", "shared", "data", "nab"));
                }
            }
        }
        throw new DirectoryNotFoundException("MetaAnomaly.sln not found above the working directory: pass --data DIR.");
    }
}
