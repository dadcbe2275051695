using System.Diagnostics;
using System.Globalization;
using MetaAnomaly.Bench.Replay;
using MetaAnomaly.Forecasting.Extensions;
using MetaAnomaly.Forecasting.ReadModel;
using MetaAnomaly.Shared.Forecasts;
using MetaAnomaly.Shared.Series;
using Microsoft.Extensions.DependencyInjection;
using static TorchSharp.torch;

namespace MetaAnomaly.Bench;

/// <summary>
/// Few-shot forecasting on M4 Hourly through the product itself (<see cref="ProductReplay"/>): the training parts of
/// all 414 series are pushed as hourly points into one instance, the daily adaptation runs once (periods, clusters,
/// one meta-trained initialisation per cluster, every series adapted on its latest support), and the product's own
/// 48-step forecasts of H1..H300 are scored: sMAPE, MASE and OWA (relative to Naive2 computed here on the same series)
/// beside seasonal naive and Naive2. The one-step table asks the product's serving path for each test point from the
/// actual values before it, as the detector does. With no arguments it runs a fresh install's defaults (learner,
/// meta-training steps, lags, K); the horizon is M4 Hourly's (48). <c>--learners a,b</c> runs one instance per
/// learner; <c>--steps N</c>, <c>--lags N</c>, <c>--k N</c>, <c>--seed N</c> and <c>--set KEY=VALUE</c> override the
/// configuration. The first learner also runs in a second instance that serves its meta-initialisations without the
/// daily inner loop (<c>Forecasting:ServeInitialisation</c>): the "adapted against not adapted" pair. Meta-training is
/// the same in both only when it is bounded by steps, not by its wall-clock budget.
/// </summary>
public sealed class M4Benchmark : IBenchmark
{
    private const int Horizon = 48;
    private const int Frequency = 24;
    private const int Evaluated = 300;
    private static readonly DateTimeOffset ForecastOrigin = new(2025, 3, 3, 0, 0, 0, TimeSpan.Zero);

    public string Name => "m4";

    public string Description => "M4 Hourly through the product: push the training parts, one daily adaptation, the product's 48-step forecasts; sMAPE/MASE/OWA [--learners a,b --steps N --lags N --k N --seed N --set KEY=VALUE]";

    public async Task<BenchmarkResult> RunAsync(IReadOnlyList<string> arguments, TextWriter output, CancellationToken cancellationToken)
    {
        var options = new AdaptationBenchArguments(arguments.Where((a, i) => a != "--set" && (i == 0 || arguments[i - 1] != "--set")).ToArray());
        var seed = options.Int("seed", ForecastingOptions.Defaults.Seed);
        var data = Path.Combine(SharedData(), "m4-hourly");
        var train = ReadWide(Path.Combine(data, "Hourly-train.csv"));
        var test = ReadWide(Path.Combine(data, "Hourly-test-H1-H300.csv"));
        var keys = train.Keys.ToDictionary(id => id, id => new SeriesKey("m4", [new("id", id)], "value"));
        var evaluated = test.Keys.Take(Evaluated).ToArray();

        var baselines = new Dictionary<string, Func<double[], double[]>>
        {
            ["seasonal naive"] = SeasonalNaive,
            ["naive2"] = Naive2,
        };
        var rows = new List<(string Method, double Smape, double Mase)>();
        foreach (var (name, method) in baselines)
        {
            var (smape, mase) = Score(evaluated, id => method(train[id]), train, test);
            rows.Add((name, smape, mase));
        }
        var naive2 = rows.Single(r => r.Method == "naive2");
        var oneStepRows = new List<(string Method, double Smape, double Mase)>();
        foreach (var (name, lag) in new[] { ("seasonal naive", Frequency), ("naive", 1) })
        {
            var (smape, mase) = Score(evaluated, id => OneStepBaseline(train[id], test[id], lag), train, test);
            oneStepRows.Add((name, smape, mase));
        }
        var learners = arguments.Contains("--learners") ? options.Learners : [ForecastingOptions.Defaults.Learner];
        var unadapted = $"{learners[0]}, not adapted";
        var instances = learners.Select(l => (Learner: l, Label: l, SwitchedOn: (string?)null)).ToList();
        instances.Insert(1, (learners[0], unadapted, "Forecasting:ServeInitialisation"));
        foreach (var (learnerName, label, extra) in instances)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var scored = await RunProductAsync(label, Settings(arguments, options, learnerName, seed, extra), seed, evaluated, keys, train, test, output, cancellationToken);
            if (scored is { } s)
            {
                rows.Add((label, s.Smape, s.Mase));
                oneStepRows.Add((label, s.OneStepSmape, s.OneStepMase));
            }
        }
        var table = new ResultTable("method", "sMAPE", "MASE", "OWA");
        foreach (var (method, smape, mase) in rows)
        {
            table.AddRow(method, smape, mase, Owa(smape, mase, naive2));
        }
        output.WriteLine();
        output.Write(table);
        var oneStepTable = new ResultTable("one step ahead over the test period (actual lags)", "sMAPE", "MASE");
        foreach (var (method, smape, mase) in oneStepRows)
        {
            oneStepTable.AddRow(method, smape, mase);
        }
        output.WriteLine();
        output.Write(oneStepTable);
        output.WriteLine($"Series H1..H{Evaluated}; OWA relative to Naive2 on the same series. Published (all 414): seasonal naive 13.912 / 1.193 / 0.627, Naive2 18.383 / 2.395 / 1.000, Smyl 9.328 / 0.893 / 0.440.");
        var result = new BenchmarkResult();
        var main = rows.FirstOrDefault(r => r.Method == learners[0]);
        if (main.Method is null)
        {
            main = naive2;
        }
        var snaive = rows.Single(r => r.Method == "seasonal naive");
        result.Add("smape", main.Smape).Add("mase", main.Mase).Add("owa", Owa(main.Smape, main.Mase, naive2))
            .Add("snaive_owa", Owa(snaive.Smape, snaive.Mase, naive2)).Add("learner", main.Method);
        if (rows.FirstOrDefault(r => r.Method == unadapted) is { Method: not null } notAdapted)
        {
            result.Add("unadapted_owa", Owa(notAdapted.Smape, notAdapted.Mase, naive2));
        }
        foreach (var row in rows.Where(r => !baselines.ContainsKey(r.Method) && r.Method != unadapted))
        {
            result.Add($"{ResultName(row.Method)}_owa", Owa(row.Smape, row.Mase, naive2));
        }
        result.Add("naive2_smape", naive2.Smape).Add("naive2_mase", naive2.Mase);
        foreach (var row in oneStepRows)
        {
            result.Add($"onestep_{(row.Method == unadapted ? "unadapted" : ResultName(row.Method))}_mase", row.Mase);
        }
        return result;
    }

    /// <summary>
    /// One instance of the product (<see cref="ProductReplay"/>) with <paramref name="settings"/>: the training parts
    /// pushed, one daily adaptation, then the 48-step and one-step scores of the evaluated series (seasonal naive where
    /// the product made no forecast) and the per-cluster table. Null when the instance failed (it says why).
    /// </summary>
    private static async Task<(double Smape, double Mase, double OneStepSmape, double OneStepMase)?> RunProductAsync(string label,
        List<KeyValuePair<string, string?>> settings, int seed, string[] evaluated, Dictionary<string, SeriesKey> keys,
        Dictionary<string, double[]> train, Dictionary<string, double[]> test, TextWriter output, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        try
        {
            manual_seed(seed);
            using var replay = ProductReplay.Compose(ForecastOrigin, settings);
            foreach (var (id, values) in train)
            {
                var start = ForecastOrigin - TimeSpan.FromHours(values.Length);
                replay.Push(values.Select((v, i) => new DataPoint(keys[id], start + TimeSpan.FromHours(i), v)).ToArray());
            }
            var run = await replay.RunDailyAdaptationAsync(cancellationToken);
            var readModel = replay.Services.GetRequiredService<IForecastingReadModel>();
            output.WriteLine($"  {label}: {run.SeriesAdapted} series adapted in {run.ClustersAdapted} clusters, {run.Errors.Count} errors ({clock.Elapsed.TotalSeconds:F1} s){string.Concat(run.Errors.Take(3).Select(e => $"; {e}"))}");
            var forecasts = evaluated.ToDictionary(id => id, id => readModel.ForecastOf(keys[id]) is { Values.Count: >= Horizon } f
                ? f.Values.Take(Horizon).ToArray()
                : SeasonalNaive(train[id]));
            var missing = evaluated.Count(id => readModel.ForecastOf(keys[id]) is not { Values.Count: >= Horizon });
            if (missing > 0)
            {
                output.WriteLine($"  {label}: {missing} series had no product forecast; scored with seasonal naive (48 steps and one step)");
            }
            var oneStep = OneStepAhead(replay.Services.GetRequiredService<IOneStepForecaster>(), evaluated, keys, train, test);
            var (smape, mase) = Score(evaluated, id => forecasts[id], train, test);
            var (oneStepSmape, oneStepMase) = Score(evaluated, id => oneStep[id], train, test);
            output.Write(ClusterTable(readModel, evaluated, keys, forecasts, train, test, label));
            output.WriteLine($"  {label}: sMAPE {smape:F3}, MASE {mase:F3} ({clock.Elapsed.TotalSeconds:F1} s)");
            return (smape, mase, oneStepSmape, oneStepMase);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            output.WriteLine($"  {label} failed: {e}");
            return null;
        }
    }

    private static string ResultName(string method) => method.Replace(' ', '_').Replace('-', '_');

    /// <summary>
    /// The configuration of one instance: the seed and learner, then <c>--steps</c>, <c>--lags</c>, <c>--k</c>, each
    /// <c>--set KEY=VALUE</c> and, last, <paramref name="switchedOn"/> (a boolean key) set to true.
    /// </summary>
    private static List<KeyValuePair<string, string?>> Settings(IReadOnlyList<string> arguments, AdaptationBenchArguments options, string learner, int seed,
        string? switchedOn)
    {
        var settings = new List<KeyValuePair<string, string?>>
        {
            new("Forecasting:Seed", seed.ToString(CultureInfo.InvariantCulture)),
            new("Forecasting:Learner", learner),
            new("Forecasting:Horizon", Horizon.ToString(CultureInfo.InvariantCulture)),
        };
        foreach (var (argument, key) in new[] { ("steps", "MetaTrainingSteps"), ("lags", "Lags"), ("k", "SupportSize") })
        {
            if (options.Text(argument, "") is { Length: > 0 } value)
            {
                settings.Add(new($"Forecasting:{key}", value));
            }
        }
        foreach (var setting in arguments.Where((_, i) => i > 0 && arguments[i - 1] == "--set"))
        {
            var parts = setting.Split('=', 2);
            settings.Add(new(parts[0], parts.Length == 2 ? parts[1] : throw new ArgumentException($"--set takes KEY=VALUE; got '{setting}'.")));
        }
        if (switchedOn is not null)
        {
            settings.Add(new(switchedOn, "true"));
        }
        return settings;
    }

    /// <summary>
    /// What the detector sees: each of the 48 test points forecast one step ahead by the product's serving path (the
    /// model adapted once, on the training part) from the actual values before it, all in one request batch. Where the
    /// product made no forecast (the series is not served) the day-ago value stands in, as for the 48-step forecasts.
    /// </summary>
    private static Dictionary<string, double[]> OneStepAhead(IOneStepForecaster forecaster, string[] ids, Dictionary<string, SeriesKey> keys,
        Dictionary<string, double[]> train, Dictionary<string, double[]> test)
    {
        var requests = new List<OneStepRequest>();
        foreach (var id in ids)
        {
            var all = train[id].Concat(test[id]).ToArray();
            var start = ForecastOrigin - TimeSpan.FromHours(train[id].Length);
            for (var h = 0; h < Horizon; h++)
            {
                var end = train[id].Length + h;
                var history = new SeriesWindow(keys[id], start, TimeSpan.FromHours(1), all[..end]);
                requests.Add(new OneStepRequest(keys[id], history, ForecastOrigin + TimeSpan.FromHours(h)));
            }
        }
        var forecasts = forecaster.ForecastNext(requests);
        var oneStep = new Dictionary<string, double[]>();
        for (var i = 0; i < ids.Length; i++)
        {
            var values = new double[Horizon];
            for (var h = 0; h < Horizon; h++)
            {
                var forecast = forecasts[i * Horizon + h];
                values[h] = forecast.Available ? forecast.Value : SeasonalNaiveOneStep(train[ids[i]], test[ids[i]], h);
            }
            oneStep[ids[i]] = values;
        }
        return oneStep;
    }

    private static ResultTable ClusterTable(IForecastingReadModel readModel, string[] evaluated, Dictionary<string, SeriesKey> keys,
        Dictionary<string, double[]> forecasts, Dictionary<string, double[]> train, Dictionary<string, double[]> test, string learner)
    {
        var table = new ResultTable("cluster", "period", "members", "evaluated", $"{learner} sMAPE", "snaive sMAPE", $"{learner} MASE", "snaive MASE");
        foreach (var cluster in readModel.Clusters())
        {
            var ids = evaluated.Where(id => cluster.Members.Contains(keys[id])).ToArray();
            if (ids.Length > 0)
            {
                var learned = Score(ids, id => forecasts[id], train, test);
                var naive = Score(ids, id => SeasonalNaive(train[id]), train, test);
                table.AddRow(cluster.Id, cluster.Period, cluster.Members.Count, ids.Length, learned.Smape, naive.Smape, learned.Mase, naive.Mase);
            }
            else
            {
                table.AddRow(cluster.Id, cluster.Period, cluster.Members.Count, 0, "", "", "", "");
            }
        }
        return table;
    }

    private static double SeasonalNaiveOneStep(double[] history, double[] actual, int h) =>
        h >= Frequency ? actual[h - Frequency] : history[history.Length - Frequency + h];

    private static double[] OneStepBaseline(double[] history, double[] actual, int lag)
    {
        var all = history.Concat(actual).ToArray();
        return Enumerable.Range(0, Horizon).Select(h => all[history.Length + h - lag]).ToArray();
    }

    private static double Owa(double smape, double mase, (string Method, double Smape, double Mase) naive2) =>
        0.5 * (smape / naive2.Smape + mase / naive2.Mase);

    private static (double Smape, double Mase) Score(IEnumerable<string> ids, Func<string, double[]> forecast, Dictionary<string, double[]> train, Dictionary<string, double[]> test)
    {
        double smape = 0, mase = 0;
        var count = 0;
        foreach (var id in ids)
        {
            var actual = test[id];
            var predicted = forecast(id);
            var history = train[id];
            var scale = 0.0;
            for (var t = Frequency; t < history.Length; t++)
            {
                scale += Math.Abs(history[t] - history[t - Frequency]);
            }
            scale /= history.Length - Frequency;
            double s = 0, m = 0;
            for (var h = 0; h < Horizon; h++)
            {
                s += 200 * Math.Abs(actual[h] - predicted[h]) / (Math.Abs(actual[h]) + Math.Abs(predicted[h]));
                m += Math.Abs(actual[h] - predicted[h]) / scale;
            }
            smape += s / Horizon;
            mase += m / Horizon;
            count++;
        }
        return (smape / count, mase / count);
    }

    private static double[] SeasonalNaive(double[] history) =>
        Enumerable.Range(0, Horizon).Select(h => history[history.Length - Frequency + h % Frequency]).ToArray();

    /// <summary>M4's Naive2: naive on the seasonally adjusted series (classical multiplicative decomposition) when the
    /// lag-24 autocorrelation passes the 90% test, then re-seasonalised.</summary>
    private static double[] Naive2(double[] history)
    {
        var n = history.Length;
        var mean = history.Average();
        var denominator = history.Sum(v => (v - mean) * (v - mean));
        double Acf(int k) => Enumerable.Range(k, n - k).Sum(t => (history[t] - mean) * (history[t - k] - mean)) / denominator;
        var limit = 1.645 * Math.Sqrt((1 + 2 * Enumerable.Range(1, Frequency - 1).Sum(k => Acf(k) * Acf(k))) / n);
        var seasonal = Enumerable.Repeat(1.0, Frequency).ToArray();
        if (Math.Abs(Acf(Frequency)) > limit)
        {
            var ratios = new List<double>[Frequency];
            for (var p = 0; p < Frequency; p++)
            {
                ratios[p] = [];
            }
            for (var t = Frequency / 2; t < n - Frequency / 2; t++)
            {
                var centred = 0.0;
                for (var j = -Frequency / 2; j <= Frequency / 2; j++)
                {
                    centred += history[t + j] * (Math.Abs(j) == Frequency / 2 ? 0.5 : 1.0);
                }
                centred /= Frequency;
                ratios[t % Frequency].Add(history[t] / centred);
            }
            seasonal = ratios.Select(r => r.Average()).ToArray();
            var norm = seasonal.Average();
            seasonal = seasonal.Select(s => s / norm).ToArray();
        }
        var last = history[^1] / seasonal[(n - 1) % Frequency];
        return Enumerable.Range(0, Horizon).Select(h => last * seasonal[(n + h) % Frequency]).ToArray();
    }

    private static Dictionary<string, double[]> ReadWide(string path)
    {
        var series = new Dictionary<string, double[]>();
        foreach (var line in File.ReadLines(path).Skip(1))
        {
            var cells = line.Split(',');
            var values = cells.Skip(1).Select(c => c.Trim('"')).Where(c => c.Length > 0 && c != "NA")
                .Select(c => double.Parse(c, CultureInfo.InvariantCulture)).ToArray();
            series[cells[0].Trim('"')] = values;
        }
        return series;
    }

    private static string SharedData()
    {
        var configured = Environment.GetEnvironmentVariable("METAANOMALY_SHARED_DATA");
        if (configured is not null)
        {
            return configured;
        }
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "..", "shared", "data");
            if (File.Exists(Path.Combine(dir.FullName, "MetaAnomaly.sln")) && Directory.Exists(candidate))
            {
                return Path.GetFullPath(candidate);
            }
        }
        throw new InvalidOperationException("The shared data (../shared/data beside the checkout) is missing; set METAANOMALY_SHARED_DATA.");
    }
}
