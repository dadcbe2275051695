using System.Diagnostics;
using System.Globalization;
using System.Text;
using MetaAnomaly.Detection;
using MetaAnomaly.Detection.Evaluation;
using MetaAnomaly.Detection.Rules;
using MetaAnomaly.Detection.Scoring;
using MetaAnomaly.Forecasting.Episodes;
using MetaAnomaly.Forecasting.Learners;
using MetaAnomaly.Forecasting.Learners.Optimization;
using MetaAnomaly.Shared.Forecasts;
using MetaAnomaly.Shared.Series;
using Microsoft.Extensions.Options;
using static TorchSharp.torch;

namespace MetaAnomaly.Bench;

/// <summary>
/// <c>nab [--data DIR] [--out DIR] [--learner NAME]</c>: replays every NAB-format file through the product's
/// pipeline in streaming order (meta-initialisation, daily adaptation in data time, one-step forecasts, the
/// detector), writes NAB's results layout and scores it with the C# NAB scorer.
/// </summary>
/// <remarks>
/// Strictly causal: a row's score uses that row and earlier ones only; the detector never reads labels (they are
/// written into the results files for NAB's layout, after scoring). The meta-initialisation is trained only on the
/// probationary periods (first 15%) of the files, which NAB lets a detector learn from.
/// </remarks>
public sealed class NabBenchmark : IBenchmark
{
    private const string DetectorName = "metaanomaly";
    private const int MetaSteps = 300;
    private const int SuppressRows = 144;
    private const int MetaBatch = 8;
    private static readonly TimeSpan MetaBudget = TimeSpan.FromSeconds(30);

    public string Name => "nab";

    public string Description => "NAB replay of the whole pipeline, scored with NAB's three profiles (--data DIR, --out DIR)";

    public Task<BenchmarkResult> RunAsync(IReadOnlyList<string> arguments, TextWriter output, CancellationToken cancellationToken)
    {
        var data = Argument(arguments, "--data") ?? DefaultDataFolder();
        var results = Argument(arguments, "--out") ?? Path.Combine(Path.GetTempPath(), "metaanomaly-nab-results");
        var learnerName = Argument(arguments, "--learner") ?? MamlFactory.LearnerName;
        var clock = Stopwatch.StartNew();
        set_num_threads(Math.Max(1, Environment.ProcessorCount));
        manual_seed(1);

        var corpus = NabCorpus.Open(data);
        var files = corpus.FileNames.Select(name => (Name: name, Data: corpus.ReadData(name))).ToArray();
        output.WriteLine($"nab: {files.Length} files from {data}, learner {learnerName}");

        var layout = new EpisodeLayout(Lags: 24, Period: 0, SupportSize: 128, QuerySize: 16);
        using var learner = MetaLearnerRegistry.CreateDefault().Create(learnerName,
            new LearnerSettings(layout.InputSize, CPU, Seed: 1, HiddenSizes: [40, 40], AdaptationLearningRate: 0.01, AdaptationSteps: 5));
        var probationary = files.Select(f => f.Data.Values[..NabFile.ProbationaryRowsOf(f.Data.Values.Length)]).ToArray();
        var (steps, firstLoss, lastLoss) = NabPairs.MetaTrain(learner, probationary, layout, MetaSteps, MetaBatch, MetaBudget, seed: 1);
        output.WriteLine($"meta-training on the probationary periods only: {steps} steps, query MSE {firstLoss:F3} -> {lastLoss:F3} ({clock.Elapsed.TotalSeconds:F0} s)");

        var options = BenchOptions();
        var forecaster = new NabStreamingForecaster(learner, layout);
        var raw = new Dictionary<string, double[]>();
        var forecasts = new Dictionary<string, (double[] Values, double[] Scales)>();
        foreach (var (name, (timestamps, values)) in files)
        {
            cancellationToken.ThrowIfCancellationRequested();
            (raw[name], forecasts[name]) = Replay(name, timestamps, values, forecaster, options);
        }
        var replaySeconds = clock.Elapsed.TotalSeconds;
        var suppressRows = Argument(arguments, "--suppress") is { } text ? int.Parse(text, CultureInfo.InvariantCulture) : SuppressRows;
        if (arguments.Contains("--sweep"))
        {
            var sweep = new ResultTable("std floor", "score", "suppress rows", "standard", "reward_low_FP", "reward_low_FN");
            foreach (var stdFloor in new[] { 0.0, 0.25, 0.5 })
            {
                foreach (var useSurprise in new[] { true, false })
                {
                    var variant = BenchOptions();
                    variant.Scoring.StdFloorFraction = stdFloor;
                    var rescored = files.ToDictionary(f => f.Name, f => Detect(f.Name, f.Data.Timestamps, f.Data.Values, forecasts[f.Name], variant, useSurprise));
                    foreach (var rows in new[] { 48, 144, 288 })
                    {
                        var candidate = files.Select(f => new NabFile(f.Name, f.Data.Timestamps, Suppress(rescored[f.Name], rows),
                            NabFile.RowWindows(f.Data.Timestamps, corpus.Windows[f.Name]))).ToArray();
                        var s = NabProfile.All.Select(p => NabScorer.Score(candidate, p).NormalizedScore).ToArray();
                        sweep.AddRow(stdFloor, useSurprise ? "surprise" : "|z| deviate", rows, s[0], s[1], s[2]);
                    }
                }
            }
            output.Write(sweep);
        }
        foreach (var (name, (timestamps, values)) in files)
        {
            WriteResults(results, name, timestamps, values, Suppress(raw[name], suppressRows), corpus.Windows[name]);
        }

        var scored = corpus.ReadResults(results, DetectorName);
        var profiles = NabProfile.All.Select(p => NabScorer.Score(scored, p)).ToArray();
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

    /// <summary>The product's defaults, with the warm-up inside NAB's probationary period.</summary>
    private static DetectionOptions BenchOptions() => new();

    /// <summary>Streams one file: adapt at each data day's first row, forecast the day, score row by row.</summary>
    private static (double[] Scores, (double[] Values, double[] Scales) Forecasts) Replay(
        string name, DateTime[] timestamps, double[] values, NabStreamingForecaster forecaster, DetectionOptions options)
    {
        var forecastValues = Enumerable.Repeat(double.NaN, values.Length).ToArray();
        var forecastScales = Enumerable.Repeat(double.NaN, values.Length).ToArray();
        var key = new SeriesKey("nab", [new("file", name)], "value");
        var detector = new AnomalyDetector(options, ConfiguredThresholds.Instance, TimeProvider.System);
        var mask = new AnomalyAdaptationMask(Options.Create(options));
        var masked = new bool[values.Length];
        var scores = new double[values.Length];
        var dayStart = 0;
        while (dayStart < values.Length)
        {
            var dayEnd = dayStart + 1;
            while (dayEnd < values.Length && timestamps[dayEnd].Date == timestamps[dayStart].Date)
            {
                dayEnd++;
            }
            MarkMasked(mask, key, timestamps, masked, dayStart);
            if (forecaster.ForecastDay(values, masked, dayStart, dayEnd) is var (forecasts, scale))
            {
                for (var r = dayStart; r < dayEnd; r++)
                {
                    var at = new DateTimeOffset(timestamps[r], TimeSpan.Zero);
                    var forecast = new OneStepForecast(key, true, forecasts[r - dayStart], scale, null);
                    forecastValues[r] = forecast.Value;
                    forecastScales[r] = scale;
                    if (detector.Observe(key, at, values[r], forecast, null) is { } result)
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
        return (scores, (forecastValues, forecastScales));
    }

    /// <summary>The detector alone over recorded forecasts (tuning the detector's options on the development split).</summary>
    private static double[] Detect(string name, DateTime[] timestamps, double[] values, (double[] Values, double[] Scales) forecasts, DetectionOptions options, bool useSurprise)
    {
        var key = new SeriesKey("nab", [new("file", name)], "value");
        var detector = new AnomalyDetector(options, ConfiguredThresholds.Instance, TimeProvider.System);
        var scores = new double[values.Length];
        for (var r = 0; r < values.Length; r++)
        {
            var forecast = new OneStepForecast(key, true, forecasts.Values[r], forecasts.Scales[r], null);
            if (detector.Observe(key, new DateTimeOffset(timestamps[r], TimeSpan.Zero), values[r], forecast, null) is { } result)
            {
                scores[r] = useSurprise ? AnomalyScore(result.Point) : DeviateScore(result.Point);
            }
        }
        return scores;
    }

    private static double DeviateScore(ScoredPoint point)
    {
        var deviate = Math.Abs(point.Score);
        return point.Scored ? deviate / (deviate + 10) : 0;
    }

    /// <summary>
    /// Keeps a row's score only when it exceeds every raw score of the <paramref name="rows"/> rows before it, so a
    /// sustained or echoing anomaly reports once (and again only when it grows): the event cool-down, for NAB's
    /// per-row scoring. Causal: looks back only.
    /// </summary>
    private static double[] Suppress(double[] raw, int rows)
    {
        var kept = new double[raw.Length];
        for (var i = 0; i < raw.Length; i++)
        {
            var previous = 0.0;
            for (var j = Math.Max(0, i - rows); j < i; j++)
            {
                previous = Math.Max(previous, raw[j]);
            }
            kept[i] = raw[i] > previous ? raw[i] : 0;
        }
        return kept;
    }

    /// <summary>NAB's anomaly_score in [0, 1): a monotone, non-saturating map of the calibrated surprise.</summary>
    private static double AnomalyScore(ScoredPoint point) =>
        point.Scored && point.Surprise > 0 ? point.Surprise / (point.Surprise + 10) : 0;

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
