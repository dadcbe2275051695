using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using MetaAnomaly.Bench.Faults;
using MetaAnomaly.Ingest.Configuration;

namespace MetaAnomaly.Bench;

/// <summary>
/// Time to first score of a new pushed series: the Dashboard host as shipped on its demo (sped up as the integration
/// tests run it, with a catch-up every second), and once the demo's series are scored, a new series pushed a minute
/// apart in data time, one point at a time, each point waited for until the host has examined it. Reports how many
/// points it took to be scored (and the seconds that is at one point a minute, plus the host's own latency after the
/// point that made it), what it was scored from, then, pushing on an hour at a time, when it reached its cluster.
/// Driven by pushed timestamps, not by wall-clock waits. Argument, optional: <c>points=N</c> (4320, three days), the
/// most points pushed.
/// </summary>
public sealed class ColdStartBenchmark : IBenchmark
{
    private const string SeriesKey = "coldstart,host=new#value";
    private static readonly TimeSpan Step = TimeSpan.FromMinutes(1);
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(90);

    public string Name => "coldstart";

    public string Description => "time to first score of a new series pushed every minute (points, seconds, what scored it) and when it reaches its cluster";

    public async Task<BenchmarkResult> RunAsync(IReadOnlyList<string> arguments, TextWriter output, CancellationToken cancellationToken)
    {
        var limit = arguments.FirstOrDefault(a => a.StartsWith("points=", StringComparison.Ordinal)) is { } p ? int.Parse(p["points=".Length..], CultureInfo.InvariantCulture) : 4320;
        var state = Directory.CreateTempSubdirectory("metaanomaly-coldstart-");
        try
        {
            return await MeasureAsync(state.FullName, limit, output, cancellationToken);
        }
        finally
        {
            try
            {
                state.Delete(recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }

    private static async Task<BenchmarkResult> MeasureAsync(string state, int limit, TextWriter output, CancellationToken cancellationToken)
    {
        await using var product = await DemoDashboard.StartAsync(state, new Dictionary<string, string> { ["Forecasting:ColdStart"] = "true", ["Forecasting:CatchUpInterval"] = "00:00:01" }, cancellationToken);
        output.WriteLine("coldstart: waiting for the demo's series to be scored ...");
        await DemoScoredAsync(product, cancellationToken);

        var start = DateTimeOffset.FromUnixTimeSeconds((DateTimeOffset.UtcNow - limit * Step).ToUnixTimeSeconds() / 60 * 60);
        var random = new Random(1);
        var pushed = 0;
        Model model = default!;
        var wall = Stopwatch.StartNew();
        var latency = TimeSpan.Zero;
        while (pushed < limit)
        {
            await PushAsync(product, start, pushed, 1, random, cancellationToken);
            pushed++;
            var pushedAt = wall.Elapsed;
            model = await ExaminedAsync(product, pushed, cancellationToken);
            if (model.Stage != "NotServed")
            {
                await FirstScoreAsync(product, start, cancellationToken);
                latency = wall.Elapsed - pushedAt;
                break;
            }
        }
        var firstScore = pushed;
        var firstSource = model.StageDescription ?? model.Reason ?? "";
        output.WriteLine($"coldstart: first scored at point {firstScore}: {firstSource}");

        while (pushed < limit && model.Stage != "Cluster")
        {
            var batch = Math.Min(60, limit - pushed);
            var pushedAt = DateTimeOffset.UtcNow;
            await PushAsync(product, start, pushed, batch, random, cancellationToken);
            pushed += batch;
            model = await ExaminedAsync(product, pushed, cancellationToken, pushedAt);
        }
        var clustered = model.Stage == "Cluster" ? pushed : (int?)null;
        output.WriteLine($"coldstart: {(clustered is { } c ? $"served by its cluster {model.ClusterId} at point {c}" : $"not in its cluster after {pushed} points: {model.Reason}")}");

        var table = new ResultTable("stage", "points pushed", "data time from the first push", "host latency s", "served by");
        table.AddRow("first score", firstScore, Duration((firstScore - 1) * Step), latency.TotalSeconds.ToString("F1", CultureInfo.InvariantCulture), firstSource);
        table.AddRow("its cluster", clustered?.ToString(CultureInfo.InvariantCulture) ?? $"not by {pushed}", clustered is { } at ? Duration((at - 1) * Step) : "",
            "", clustered is null ? model.Reason ?? "" : model.StageDescription ?? "");
        output.Write(table);
        output.WriteLine("(a catch-up every second here; the default Forecasting:CatchUpInterval, 30 s, adds up to 30 s of host latency, and a scoring tick up to 2 s)");
        return new BenchmarkResult()
            .Add("first_score_points", firstScore, "F0")
            .Add("first_score_s", ((firstScore - 1) * Step + latency).TotalSeconds, "F0")
            .Add("first_score_latency_s", latency.TotalSeconds, "F1")
            .Add("shared_model", firstSource.Contains("shared aperiodic model", StringComparison.Ordinal) ? 1 : 0, "F0")
            .Add("cluster_points", clustered ?? double.NaN, "F0")
            .Add("cluster_days", clustered is { } days ? (days - 1) * Step.TotalDays : double.NaN, "F2");
    }

    private static string Duration(TimeSpan span) => span.TotalHours >= 1 ? $"{span.TotalHours:F1} h" : $"{span.TotalMinutes:F0} min";

    /// <summary>Points <paramref name="from"/>.. a minute apart: a daily cycle with noise.</summary>
    private static async Task PushAsync(ProductProcess product, DateTimeOffset start, int from, int count, Random random, CancellationToken cancellationToken)
    {
        var lines = new StringBuilder();
        for (var i = from; i < from + count; i++)
        {
            var value = 50 + 20 * Math.Sin(2 * Math.PI * i / 1440) + 2 * random.NextDouble();
            lines.Append(CultureInfo.InvariantCulture, $"coldstart,host=new value={value:R} {(start + i * Step).ToUnixTimeSeconds()}\n");
        }
        var (status, body) = await product.WriteAsync(lines.ToString(), cancellationToken);
        if ((int)status != 204)
        {
            throw new InvalidOperationException($"POST /write answered {(int)status}: {body}");
        }
    }

    /// <summary>
    /// The series' model state once the host has examined its <paramref name="points"/> points: its reason counts them
    /// (until its period is known), or, past that, a forecasting run began after <paramref name="pushedAt"/>.
    /// </summary>
    private static async Task<Model> ExaminedAsync(ProductProcess product, int points, CancellationToken cancellationToken, DateTimeOffset? pushedAt = null)
    {
        // Its first points do not tell its step yet, so no reason counts them: those are given a few seconds.
        var stepKnown = points >= BufferOptions.Defaults.PointsForStep;
        var until = DateTime.UtcNow + (stepKnown ? Deadline : TimeSpan.FromSeconds(3));
        while (true)
        {
            var model = await ModelAsync(product, cancellationToken);
            var counted = model?.Reason?.StartsWith($"{points} points:", StringComparison.Ordinal) == true;
            var ranSince = pushedAt is { } at && (await product.Http.GetFromJsonAsync<JsonElement>("api/adaptation", DemoDashboard.Json, cancellationToken))
                .GetProperty("last") is { ValueKind: JsonValueKind.Object } last && last.GetProperty("startedAt").GetDateTimeOffset() > at;
            if (model is not null && (counted || ranSince || model.Stage == "Cluster" || (!stepKnown && DateTime.UtcNow > until)))
            {
                return model;
            }
            if (DateTime.UtcNow > until && stepKnown)
            {
                throw new TimeoutException($"The host did not examine {points} points of {SeriesKey} within {Deadline.TotalSeconds} s: {model?.Reason}");
            }
            await Task.Delay(100, cancellationToken);
        }
    }

    private static async Task FirstScoreAsync(ProductProcess product, DateTimeOffset start, CancellationToken cancellationToken)
    {
        var until = DateTime.UtcNow + Deadline;
        var from = Uri.EscapeDataString(start.AddDays(-1).ToString("O"));
        var to = Uri.EscapeDataString(DateTimeOffset.UtcNow.AddDays(1).ToString("O"));
        while ((await product.Http.GetFromJsonAsync<JsonElement[]>($"api/detection/scores?series={Uri.EscapeDataString(SeriesKey)}&from={from}&to={to}",
            DemoDashboard.Json, cancellationToken))!.Length == 0)
        {
            if (DateTime.UtcNow > until)
            {
                throw new TimeoutException($"{SeriesKey} was served but not scored within {Deadline.TotalSeconds} s.");
            }
            await Task.Delay(100, cancellationToken);
        }
    }

    private static async Task DemoScoredAsync(ProductProcess product, CancellationToken cancellationToken)
    {
        var until = DateTime.UtcNow + TimeSpan.FromMinutes(5);
        while ((await DemoDashboard.SeriesAsync(product, cancellationToken)).Count(s => s.LastScored is not null) < DemoDashboard.DemoSeries)
        {
            if (DateTime.UtcNow > until)
            {
                throw new TimeoutException("The demo's series were not all scored within 5 minutes.");
            }
            await Task.Delay(500, cancellationToken);
        }
    }

    private static async Task<Model?> ModelAsync(ProductProcess product, CancellationToken cancellationToken) =>
        (await product.Http.GetFromJsonAsync<Listing[]>("api/series?measurement=coldstart", DemoDashboard.Json, cancellationToken))?.FirstOrDefault()?.Model;

    private sealed record Listing(string Key, Model Model);

    private sealed record Model(string Status, string Stage, string? StageDescription, string? ClusterId, string? Reason);
}
