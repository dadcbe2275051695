using System.Diagnostics;
using System.Globalization;
using System.Text;
using MetaAnomaly.Detection;
using MetaAnomaly.Detection.Events;
using MetaAnomaly.Detection.Evaluation;
using MetaAnomaly.Detection.Extensions;
using MetaAnomaly.Detection.Rules;
using MetaAnomaly.Detection.Scoring;
using MetaAnomaly.Forecasting.Episodes;
using MetaAnomaly.Forecasting.Learners;
using MetaAnomaly.Forecasting.Learners.Optimization;
using MetaAnomaly.Forecasting.Periods;
using MetaAnomaly.Shared.Forecasts;
using MetaAnomaly.Shared.Series;
using MetaAnomaly.Shared.Statistics;
using Microsoft.Extensions.Options;
using static TorchSharp.torch;

namespace MetaAnomaly.Bench;

/// <summary>
/// <c>nab [--data DIR] [--out DIR] [--files A,B] [--forecasts FILE] [--learner NAME] [--meta-steps N] [--seed N] [--support K] [--adapt-steps N] [--adapt-lr X] [--period validated|detected|none] [--anchor-fallback either|out-of-sample|in-sample|off|always] [--suppress HOURS] [--escalation SURPRISE] [--set KEY=V] [--sweep KEY=V1,V2 ...] [--reference DIR]</c>: replays every NAB-format file through the product's
/// pipeline in streaming order (meta-initialisation, daily adaptation in data time, one-step forecasts, the
/// detector), writes NAB's results layout and scores it with the C# NAB scorer. <c>--reference DIR</c> also prints the
/// per-file table of another detector's results in NAB's layout (DIR's name is the detector's, as in NAB's results/).
/// </summary>
/// <remarks>
/// Strictly causal: a row's score uses that row and earlier ones only; the detector never reads labels (they are
/// written into the results files for NAB's layout, after scoring). The meta-initialisation is trained only on the
/// probationary periods (first 15%) of the files, which NAB lets a detector learn from.
/// </remarks>
public sealed class NabBenchmark : IBenchmark
{
    private const string DetectorName = "metaanomaly";
    private const int MetaSteps = 200;
    private const double SuppressHours = 12;
    private const double EscalationSurprise = 2;
    private const int MetaBatch = 8;
    private static readonly TimeSpan MetaBudget = TimeSpan.FromSeconds(150);

    public string Name => "nab";

    public string Description => "NAB replay of the whole pipeline, scored with NAB's three profiles (--data DIR, --out DIR)";

    public Task<BenchmarkResult> RunAsync(IReadOnlyList<string> arguments, TextWriter output, CancellationToken cancellationToken)
    {
        var data = Argument(arguments, "--data") ?? DefaultDataFolder();
        var results = Argument(arguments, "--out") ?? Path.Combine(Path.GetTempPath(), "metaanomaly-nab-results");
        var learnerName = Argument(arguments, "--learner") ?? MamlFactory.LearnerName;
        var clock = Stopwatch.StartNew();
        set_num_threads(Math.Max(1, Environment.ProcessorCount));
        var seed = Argument(arguments, "--seed") is { } seedText ? int.Parse(seedText, CultureInfo.InvariantCulture) : 1;
        manual_seed(seed);

        var corpus = NabCorpus.Open(data);
        var only = Argument(arguments, "--files")?.Split(',');
        var files = corpus.FileNames.Where(name => only is null || only.Any(o => name.Contains(o, StringComparison.Ordinal))).Select(name => (Name: name, Data: corpus.ReadData(name))).ToArray();
        output.WriteLine($"nab: {files.Length} files from {data}, learner {learnerName}");

        var layout = new EpisodeLayout(Lags: 24, Period: 0, SupportSize: Argument(arguments, "--support") is { } k ? int.Parse(k, CultureInfo.InvariantCulture) : 128, QuerySize: 16);
        using var learner = MetaLearnerRegistry.CreateDefault().Create(learnerName,
            new LearnerSettings(layout.InputSize, CPU, Seed: seed, HiddenSizes: [40, 40],
                AdaptationLearningRate: Argument(arguments, "--adapt-lr") is { } lr ? double.Parse(lr, CultureInfo.InvariantCulture) : 0.05,
                AdaptationSteps: Argument(arguments, "--adapt-steps") is { } adaptSteps ? int.Parse(adaptSteps, CultureInfo.InvariantCulture) : 10));
        var periodMode = Argument(arguments, "--period") ?? "validated";
        var layouts = files.ToDictionary(f => f.Name, f => layout with { Period = periodMode == "none" ? 0 : ProbationaryPeriod(f.Data.Timestamps, f.Data.Values, periodMode == "validated") });
        var anchorFallback = (Argument(arguments, "--anchor-fallback") ?? "either") switch
        {
            "in-sample" => AnchorFallbackRule.WhenWorse,
            "off" => AnchorFallbackRule.Never,
            "always" => AnchorFallbackRule.Always,
            "out-of-sample" => AnchorFallbackRule.WhenWorseOutOfSample,
            "either" => AnchorFallbackRule.WhenWorseEither,
            var other => throw new ArgumentException($"--anchor-fallback takes either, out-of-sample, in-sample, off or always; got '{other}'."),
        };
        output.WriteLine($"periods detected on the probationary parts: {string.Join(", ", layouts.Where(l => l.Value.Period > 0).Select(l => $"{Path.GetFileNameWithoutExtension(l.Key)} {l.Value.Period}"))}");
        var probationary = files.Select(f => (f.Data.Values[..NabFile.ProbationaryRowsOf(f.Data.Values.Length)], layouts[f.Name])).ToArray();
        var (steps, firstLoss, lastLoss) = NabPairs.MetaTrain(learner, probationary,
            Argument(arguments, "--meta-steps") is { } metaSteps ? int.Parse(metaSteps, CultureInfo.InvariantCulture) : MetaSteps, MetaBatch, MetaBudget, seed);
        output.WriteLine($"meta-training on the probationary periods only: {steps} steps, query MSE {firstLoss:F3} -> {lastLoss:F3} ({clock.Elapsed.TotalSeconds:F0} s)");

        var options = BenchOptions(arguments);
        var raw = new Dictionary<string, double[]>();
        var forecasts = new Dictionary<string, NabForecasts>();
        if (Argument(arguments, "--forecasts") is { } recorded)
        {
            forecasts = NabForecasts.Read(recorded);
            foreach (var (name, (timestamps, values)) in files)
            {
                raw[name] = Detect(name, timestamps, values, forecasts[name], options);
            }
            output.WriteLine($"detector only, on the forecasts recorded in {recorded} (adaptation masks as recorded)");
        }
        else
        {
            var forecasters = new Dictionary<string, NabStreamingForecaster>();
            foreach (var (name, (timestamps, values)) in files)
            {
                cancellationToken.ThrowIfCancellationRequested();
                (raw[name], forecasts[name]) = Replay(name, timestamps, values, forecasters[name] = new NabStreamingForecaster(learner, layouts[name], anchorFallback), options);
            }
            NabForecasts.Write(Path.Combine(results, "forecasts.csv"), forecasts);
            output.WriteLine($"days forecast by the anchor alone (the adapted model forecast worse than it): {forecasters.Values.Sum(f => f.Counts.AnchorDays)} of {forecasters.Values.Sum(f => f.Counts.Days)}");
        }
        var replaySeconds = clock.Elapsed.TotalSeconds;
        var suppressFor = TimeSpan.FromHours(Argument(arguments, "--suppress") is { } text ? double.Parse(text, CultureInfo.InvariantCulture) : SuppressHours);
        var escalation = Argument(arguments, "--escalation") is { } margin ? double.Parse(margin, CultureInfo.InvariantCulture) : EscalationSurprise;
        if (arguments.Contains("--sweep"))
        {
            var grid = SweepGrid(arguments);
            var sweep = new ResultTable([.. grid.Select(g => g.Key), "standard", "reward_low_FP", "reward_low_FN"]);
            foreach (var point in Cartesian(grid))
            {
                var variant = BenchOptions(arguments);
                var coolDown = suppressFor;
                var rise = escalation;
                foreach (var (key, value) in point)
                {
                    if (key == "suppress")
                    {
                        coolDown = TimeSpan.FromHours(value);
                    }
                    else if (key == "escalation")
                    {
                        rise = value;
                    }
                    else
                    {
                        SweepSetters[key](variant, value);
                    }
                }
                var candidate = files.Select(f => new NabFile(f.Name, f.Data.Timestamps,
                    Suppress(Detect(f.Name, f.Data.Timestamps, f.Data.Values, forecasts[f.Name], variant), f.Data.Timestamps, coolDown, rise),
                    NabFile.RowWindows(f.Data.Timestamps, corpus.Windows[f.Name]))).ToArray();
                var s = NabProfile.All.Select(p => NabScorer.Score(candidate, p).NormalizedScore).ToArray();
                sweep.AddRow([.. point.Select(p => (object)p.Value), s[0], s[1], s[2]]);
            }
            output.Write(sweep);
        }
        foreach (var (name, (timestamps, values)) in files)
        {
            WriteResults(results, name, timestamps, values, Suppress(raw[name], timestamps, suppressFor, escalation), corpus.Windows[name]);
        }

        var scored = only is null
            ? corpus.ReadResults(results, DetectorName)
            : files.Select(f => new NabFile(f.Name, f.Data.Timestamps, Suppress(raw[f.Name], f.Data.Timestamps, suppressFor, escalation), NabFile.RowWindows(f.Data.Timestamps, corpus.Windows[f.Name]))).ToArray();
        var profiles = NabProfile.All.Select(known => corpus.Profiles().FirstOrDefault(p => p.Name == known.Name) ?? known)
            .Select(p => NabScorer.Score(scored, p)).ToArray();
        output.WriteLine($"standard profile threshold: anomaly_score {profiles[0].Threshold:F4} (calibrated surprise {Surprise(profiles[0].Threshold):F2}, probability {TailProbabilityCalibrator.NormalCdf(Surprise(profiles[0].Threshold)):G7})");
        foreach (var probability in new[] { options.EffectiveRules[0].Threshold, 0.9999, 0.99999, 0.999999 }.Distinct())
        {
            output.WriteLine($"at a fixed alarm threshold instead, probability {probability}{(probability == options.EffectiveRules[0].Threshold ? " (the product's default)" : "")}: {string.Join(" / ", profiles.Select(p => $"{p.Profile.Name} {AtProductThreshold(scored, p.Profile, probability):F1}"))}");
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
        output.Write(CategoryTable(scored, profiles[0]));
        output.WriteLine();
        var totals = new ResultTable("detector", "standard", "reward_low_FP", "reward_low_FN");
        totals.AddRow($"MetaAnomaly ({learnerName})", profiles[0].NormalizedScore, profiles[1].NormalizedScore, profiles[2].NormalizedScore);
        totals.AddRow("contextOSE (published)", 77.0, 73.0, 80.7);
        totals.AddRow("Numenta HTM (published)", 75.4, 70.4, 78.9);
        totals.AddRow("ARTime (published)", 74.8, 66.2, 79.9);
        output.Write(totals);
        output.WriteLine($"results in {results}; {clock.Elapsed.TotalSeconds:F0} s in all ({replaySeconds:F0} s training + replay)");

        return Task.FromResult(new BenchmarkResult()
            .Add("standard", profiles[0].NormalizedScore, "F1")
            .Add("low_fp", profiles[1].NormalizedScore, "F1")
            .Add("low_fn", profiles[2].NormalizedScore, "F1"));
    }

    /// <summary>
    /// The file's period as the product finds it (<see cref="PeriodDetector"/> with the day and week as calendar
    /// candidates), from the probationary part only; 0 when aperiodic or when fewer than two periods fit in it.
    /// <paramref name="validated"/> keeps it only when the value one period earlier predicts the probationary part
    /// better (mean absolute error) than the previous value does: a period found in under three cycles is often noise.
    /// </summary>
    private static int ProbationaryPeriod(DateTime[] timestamps, double[] values, bool validated)
    {
        var rows = NabFile.ProbationaryRowsOf(values.Length);
        var steps = Enumerable.Range(1, rows - 1).Select(i => timestamps[i] - timestamps[i - 1]).Order().ToArray();
        var period = new PeriodDetector().Detect(values[..rows], steps[steps.Length / 2]).Period;
        return !validated || period == 0 || SeasonalAnchorCheck.BeatsPreviousValue(values[..rows], period) ? period : 0;
    }

    /// <summary>Detector options the <c>--sweep</c> grid may vary (plus <c>suppress</c>, the cool-down in hours, and
    /// <c>escalation</c>, the surprise a repeat must add to be reported within it).</summary>
    private static readonly Dictionary<string, Action<DetectionOptions, double>> SweepSetters = new()
    {
        ["short"] = (o, v) => o.Calibration.ShortWindow = (int)v,
        ["long"] = (o, v) => (o.Calibration.LongWindow, o.Sustained.LongWindow) = ((int)v, (int)v),
        ["sustained"] = (o, v) => o.Sustained.Window = (int)v,
        ["recurrence-hours"] = (o, v) => o.Recurrence.Lookback = TimeSpan.FromHours(v),
        ["recurrence-tolerance-minutes"] = (o, v) => o.Recurrence.Tolerance = TimeSpan.FromMinutes(v),
        ["recurrence-repeats"] = (o, v) => o.Recurrence.Repeats = (int)v,
        ["recurrence-ratio"] = (o, v) => o.Recurrence.Ratio = v,
        ["notable"] = (o, v) => o.Scoring.NotableDeviate = v,
        ["warmup"] = (o, v) => o.Warmup.Points = (int)v,
        ["memory-points"] = (o, v) => o.DeviationMemory.Points = (int)v,
        ["memory-exclusion"] = (o, v) => o.DeviationMemory.Exclusion = (int)v,
        ["memory-tolerance"] = (o, v) => o.DeviationMemory.Tolerance = v,
        ["seen-discount"] = (o, v) => o.Scoring.SeenDeviationDiscount = v,
        ["mask-probability"] = (o, v) => o.MaskProbability = v,
        ["priming"] = (o, v) => o.PrimingPoints = (int)v,
        ["flatline"] = (o, v) => o.Flatline.MinPoints = (int)v,
        ["flatline-memory"] = (o, v) => o.Flatline.MemoryPoints = (int)v,
        ["scale-window"] = (o, v) => o.Scoring.ScaleWindow = (int)v,
        ["std-floor"] = (o, v) => o.Scoring.StdFloorFraction = v,
        ["relative-floor"] = (o, v) => o.Scoring.RelativeScaleFloor = v,
    };

    /// <summary><c>--sweep key=v1,v2 key=v3 ...</c> (the arguments after <c>--sweep</c> up to the next option).</summary>
    private static List<KeyValuePair<string, double[]>> SweepGrid(IReadOnlyList<string> arguments)
    {
        var grid = new List<KeyValuePair<string, double[]>>();
        foreach (var item in arguments.SkipWhile(a => a != "--sweep").Skip(1).TakeWhile(a => !a.StartsWith("--", StringComparison.Ordinal)))
        {
            var parts = item.Split('=', 2);
            if (parts.Length != 2 || (parts[0] is not ("suppress" or "escalation") && !SweepSetters.ContainsKey(parts[0])))
            {
                throw new ArgumentException($"--sweep takes key=v1,v2 with key in suppress, escalation, {string.Join(", ", SweepSetters.Keys)}; got '{item}'.");
            }
            grid.Add(new(parts[0], parts[1].Split(',').Select(v => double.Parse(v, CultureInfo.InvariantCulture)).ToArray()));
        }
        return grid.Count > 0 ? grid : [new("suppress", [4, 12, 24])];
    }

    private static IEnumerable<List<KeyValuePair<string, double>>> Cartesian(List<KeyValuePair<string, double[]>> grid) =>
        grid.Aggregate((IEnumerable<List<KeyValuePair<string, double>>>)[[]],
            (points, axis) => points.SelectMany(p => axis.Value.Select(v => new List<KeyValuePair<string, double>>(p) { new(axis.Key, v) })));

    /// <summary>The product's detection defaults, with each <c>--set KEY=V</c> applied (sweeps vary them further).</summary>
    private static DetectionOptions BenchOptions(IReadOnlyList<string> arguments)
    {
        var options = new DetectionOptions();
        foreach (var setting in arguments.Where((a, i) => i > 0 && arguments[i - 1] == "--set"))
        {
            var parts = setting.Split('=', 2);
            SweepSetters[parts[0]](options, double.Parse(parts[1], CultureInfo.InvariantCulture));
        }
        return options;
    }

    /// <summary>Streams one file: adapt at each data day's first row, forecast the day, score row by row.</summary>
    private static (double[] Scores, NabForecasts Forecasts) Replay(
        string name, DateTime[] timestamps, double[] values, NabStreamingForecaster forecaster, DetectionOptions options)
    {
        var served = NabForecasts.Empty(values.Length);
        var key = new SeriesKey("nab", [new("file", name)], "value");
        var detector = DetectionExtensions.CreateDetector(options, ConfiguredThresholds.Instance, TimeProvider.System);
        var mask = new AnomalyAdaptationMask(Options.Create(options));
        var masked = new bool[values.Length];
        var scores = new double[values.Length];
        var primed = false;
        var dayStart = 0;
        while (dayStart < values.Length)
        {
            var dayEnd = dayStart + 1;
            while (dayEnd < values.Length && timestamps[dayEnd].Date == timestamps[dayStart].Date)
            {
                dayEnd++;
            }
            MarkMasked(mask, key, timestamps, masked, dayStart);
            // Like the scoring service meeting a series for the first time: the detector is primed on the stored
            // history before the first forecast day, forecast by the same adapted model (and scored against its anchor).
            var pastRows = primed ? 0 : options.PrimingPoints;
            if (forecaster.ForecastDay(values, masked, dayStart, dayEnd, pastRows) is var (forecasts, anchors, first, scale))
            {
                primed = true;
                for (var r = first; r < dayEnd; r++)
                {
                    served.Values[r] = forecasts[r - first];
                    served.Scales[r] = scale;
                    served.Anchors[r] = anchors[r - first];
                    served.Primed[r] = r < dayStart;
                    if (Feed(detector, key, timestamps, values, served, r) is { } result)
                    {
                        scores[r] = AnomalyScore(result.Point);
                        if (result.Change is { } change)
                        {
                            mask.Track(change.Event);
                        }
                    }
                }
            }
            dayStart = dayEnd;
        }
        return (scores, served);
    }

    /// <summary>The detector alone over recorded forecasts (tuning the detector's options on the development split).</summary>
    private static double[] Detect(string name, DateTime[] timestamps, double[] values, NabForecasts forecasts, DetectionOptions options)
    {
        var key = new SeriesKey("nab", [new("file", name)], "value");
        var detector = DetectionExtensions.CreateDetector(options, ConfiguredThresholds.Instance, TimeProvider.System);
        var scores = new double[values.Length];
        // The first forecast row the replay scored; the primed rows before it are fed only as far as --set priming reaches.
        var live = Enumerable.Range(0, values.Length).FirstOrDefault(r => !forecasts.Primed[r] && !double.IsNaN(forecasts.Values[r]));
        for (var r = Math.Max(0, live - options.PrimingPoints); r < values.Length; r++)
        {
            if (Feed(detector, key, timestamps, values, forecasts, r) is { } result)
            {
                scores[r] = AnomalyScore(result.Point);
            }
        }
        return scores;
    }

    /// <summary>Row <paramref name="row"/> to the detector: primed (history, never anomalous) or observed.</summary>
    private static (ScoredPoint Point, EventChange? Change)? Feed(
        AnomalyDetector detector, SeriesKey key, DateTime[] timestamps, double[] values, NabForecasts forecasts, int row)
    {
        var at = new DateTimeOffset(timestamps[row], TimeSpan.Zero);
        if (!forecasts.Primed[row])
        {
            return detector.Observe(key, at, values[row], forecasts.At(key, row), null);
        }
        detector.Prime(key, at, values[row], forecasts.At(key, row), null);
        return null;
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

    /// <summary>The normalised NAB score with the threshold fixed at the alarm probability an operator gets by default,
    /// instead of NAB's best threshold for the corpus.</summary>
    private static double AtProductThreshold(IReadOnlyList<NabFile> files, NabProfile profile, double probability)
    {
        var surprise = NormalQuantile.Of(probability);
        var threshold = surprise / (surprise + 10);
        var windows = files.Sum(f => f.Windows.Count);
        var raw = files.Sum(f => NabScorer.ScoreFile(f, profile, threshold).RawScore);
        return NabScorer.Normalize(raw, -windows * profile.FnWeight, windows * profile.TpWeight);
    }

    /// <summary>NAB's anomaly_score in [0, 1): a monotone, non-saturating map of the calibrated surprise.</summary>
    private static double AnomalyScore(ScoredPoint point) =>
        point.Scored && point.Surprise > 0 ? point.Surprise / (point.Surprise + 10) : 0;

    /// <summary>The calibrated surprise behind an <see cref="AnomalyScore"/>.</summary>
    private static double Surprise(double anomalyScore) => 10 * anomalyScore / (1 - anomalyScore);

    private static void MarkMasked(AnomalyAdaptationMask mask, SeriesKey key, DateTime[] timestamps, bool[] masked, int before)
    {
        if (before == 0)
        {
            return;
        }
        var from = new DateTimeOffset(timestamps[0], TimeSpan.Zero);
        var to = new DateTimeOffset(timestamps[before - 1], TimeSpan.Zero);
        foreach (var interval in mask.MaskedIntervals(key, from, to))
        {
            for (var i = 0; i < before; i++)
            {
                masked[i] |= interval.Contains(new DateTimeOffset(timestamps[i], TimeSpan.Zero));
            }
        }
    }

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

    private static ResultTable CategoryTable(IReadOnlyList<NabFile> files, NabScore standard)
    {
        var table = new ResultTable("category", "files", "windows", "detected", "missed", "false positives", "standard (category)");
        foreach (var category in files.GroupBy(f => f.Category).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            var parts = standard.Files.Where(f => category.Any(c => c.Name == f.Name)).ToArray();
            var windows = category.Sum(f => f.Windows.Count);
            var raw = parts.Sum(p => p.RawScore);
            table.AddRow(category.Key, category.Count(), windows, parts.Sum(p => p.TruePositives), parts.Sum(p => p.FalseNegatives),
                parts.Sum(p => p.FalsePositives), windows == 0 ? "n/a" : NabScorer.Normalize(raw, -windows, windows).ToString("F1", CultureInfo.InvariantCulture));
        }
        return table;
    }

    private static string? Argument(IReadOnlyList<string> arguments, string name)
    {
        var index = arguments.ToList().IndexOf(name);
        return index >= 0 && index + 1 < arguments.Count ? arguments[index + 1] : null;
    }

    /// <summary>../shared/data/nab beside the checkout (found from the working directory or the binary).</summary>
    private static string DefaultDataFolder()
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
