using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using MetaAnomaly.Bench.Faults;
using Npgsql;

namespace MetaAnomaly.Bench.Cluster;

/// <summary>
/// The cluster path against the single node, on this machine and a local PostgreSQL (<see cref="LocalPostgres"/>):
/// the Dashboard host as shipped, first alone (embedded default), then as N = 1, 2, 3 silos (each a process of its own,
/// a fresh database per N). Each run pushes the same history (<c>series</c> sine series of <c>steps</c> 5-minute points,
/// batches of <c>batch</c> lines from <c>writers</c> connections dealt round-robin over the nodes) and measures points
/// acknowledged per second per node and in total (after an untimed first tenth); waits until every node has adapted the series it holds (meta-training
/// bounded to 60 steps) and reads series adapted per second of each node's last adaptation run; then pushes live
/// points (with spikes, so that events open and webhooks go to a receiver on loopback), SIGKILLs the node with the
/// most shards and measures the seconds until every shard is active on a survivor. Checked after: every acknowledged
/// point in PostgreSQL, a survivor's <c>/api/cluster/series</c> listing every series, no overlapping events of one
/// series in the cluster's ledger, no idempotency key delivered twice. Arguments:
/// <c>[series=200] [steps=1440] [batch=2000] [writers=4] [nodes=3]</c>.
/// </summary>
public sealed class ClusterBenchmark : IBenchmark
{
    private const string AdminPassword = "cluster-bench-admin";
    private const int Shards = 64;
    private static readonly TimeSpan Step = TimeSpan.FromMinutes(5);
    private static readonly TimeSpan LivePause = TimeSpan.FromMilliseconds(100);

    /// <summary>The history ends this many steps before now, so that the live steps (one per <see cref="LivePause"/>) stay in the past.</summary>
    private const int LiveSteps = 1000;

    public string Name => "cluster";

    public string Description => "N = 1, 2, 3 silos vs the single node: points and series adapted per second, failover seconds, lost points, duplicates";

    public async Task<BenchmarkResult> RunAsync(IReadOnlyList<string> arguments, TextWriter output, CancellationToken cancellationToken)
    {
        var series = PositionalArguments.Count(arguments, 0, 200);
        var steps = PositionalArguments.Count(arguments, 1, 1440);
        var batch = PositionalArguments.Count(arguments, 2, 2000);
        var writers = PositionalArguments.Count(arguments, 3, 4);
        var maxNodes = PositionalArguments.Count(arguments, 4, 3);
        var start = DateTimeOffset.FromUnixTimeSeconds((DateTimeOffset.UtcNow - Step * (steps + LiveSteps)).ToUnixTimeSeconds() / 300 * 300);
        var history = Enumerable.Range(0, steps).SelectMany(step => Enumerable.Range(0, series).Select(s => Line(s, start + Step * step, Value(s, step))))
            .Chunk(batch).Select(chunk => string.Concat(chunk)).ToArray();
        output.WriteLine($"cluster: {series} series x {steps} steps = {series * steps:N0} points in batches of {batch} lines, {writers} writers; {Shards} shards; load {Load()}");

        await using var postgres = await LocalPostgres.StartAsync(cancellationToken);
        output.WriteLine($"PostgreSQL: {postgres.Origin}");
        var runs = new List<Run>();
        for (var nodes = 0; nodes <= maxNodes; nodes++)
        {
            var run = await RunOnceAsync(nodes, postgres, series, steps, start, history, writers, output, cancellationToken);
            runs.Add(run);
            output.WriteLine(run.Summary());
        }

        var table = new ResultTable("setup", "node", "shards", "points acked", "points/s", "series adapted", "not adapted", "adapted within s", "series adapted/s (wall)", "last run: series", "last run s", "last run series/s");
        foreach (var run in runs)
        {
            foreach (var node in run.Nodes)
            {
                table.AddRow(run.Setup, node.Name, node.Shards?.ToString(CultureInfo.InvariantCulture) ?? "-", node.Acknowledged, node.Acknowledged / run.IngestSeconds,
                    node.Adapted, "", run.AdaptedSeconds, node.Adapted / run.AdaptedSeconds, node.LastRunSeries, node.LastRunSeconds, node.LastRunRate);
            }
            table.AddRow(run.Setup, "total", run.Nodes.Sum(n => n.Shards ?? 0), run.Nodes.Sum(n => n.Acknowledged), run.PointsPerSecond,
                run.Nodes.Sum(n => n.Adapted), run.Unadapted, run.AdaptedSeconds, run.AdaptedPerSecond, run.Nodes.Sum(n => n.LastRunSeries), run.Nodes.Max(n => n.LastRunSeconds), run.Nodes.Sum(n => n.LastRunRate));
        }
        output.WriteLine();
        output.Write(table.ToString());
        var failovers = new ResultTable("setup", "killed", "shards moved", "failover s", "live acked", "refused", "lost points", "series listed", "events", "overlapping events", "webhook keys", "delivered twice");
        foreach (var run in runs.Where(r => r.Failover is not null))
        {
            var f = run.Failover!;
            failovers.AddRow(run.Setup, f.Killed, f.ShardsMoved, f.Seconds, f.LiveAcknowledged, f.Refused, run.LostPoints, $"{run.SeriesListed}/{series}", run.Events, run.DuplicateEvents, run.WebhookKeys, run.DeliveredTwice);
        }
        output.WriteLine();
        output.Write(failovers.ToString());

        var single = runs[0];
        var one = runs.Single(r => r.NodeCount == 1);
        var overhead = (1e6 / one.PointsPerSecond) - (1e6 / single.PointsPerSecond);
        output.WriteLine($"\ncluster path, one node: {one.PointsPerSecond:N0} points/s against the single node's {single.PointsPerSecond:N0}: {overhead:F1} µs more per point; load {Load()}");
        var last = runs[^1];
        var result = new BenchmarkResult()
            .Add("nodes", last.NodeCount)
            .Add("failover_s", last.Failover?.Seconds ?? double.NaN, "F1")
            .Add("lost_points", runs.Sum(r => r.LostPoints))
            .Add("duplicate_events", runs.Sum(r => r.DuplicateEvents))
            .Add("webhooks_delivered_twice", runs.Sum(r => r.DeliveredTwice))
            .Add("events", last.Events)
            .Add("series_listed", last.SeriesListed)
            .Add("single_points_s", single.PointsPerSecond, "F0");
        foreach (var run in runs.Where(r => r.NodeCount > 0))
        {
            result.Add($"n{run.NodeCount}_points_s", run.PointsPerSecond, "F0");
            result.Add($"n{run.NodeCount}_adapted_s", run.AdaptedPerSecond, "F2");
            result.Add($"n{run.NodeCount}_unadapted", run.Unadapted);
        }
        return result.Add("overhead_us_per_point", overhead, "F1");
    }

    /// <summary>One setup: the single node (<paramref name="nodes"/> = 0) or that many silos on a fresh database.</summary>
    private static async Task<Run> RunOnceAsync(int nodes, LocalPostgres postgres, int series, int steps, DateTimeOffset start, string[] history, int writers,
        TextWriter output, CancellationToken cancellationToken)
    {
        var database = nodes == 0 ? null : await postgres.CreateDatabaseAsync($"metaanomaly_bench_n{nodes}", cancellationToken);
        await using var receiver = new FlakyWebhookReceiver();
        await receiver.FailAsync();
        receiver.Recover();
        var states = new List<string>();
        var processes = new List<ProductProcess>();
        try
        {
            var count = Math.Max(1, nodes);
            var started = await Task.WhenAll(Enumerable.Range(1, count).Select(async i =>
            {
                var state = Directory.CreateTempSubdirectory("metaanomaly-bench-cluster-").FullName;
                lock (states)
                {
                    states.Add(state);
                }
                return await ProductProcess.StartDashboardAsync(state, Settings(database, $"node{i}", receiver.Url), cancellationToken);
            }));
            processes.AddRange(started);
            var names = Enumerable.Range(1, count).Select(i => $"node{i}").ToArray();
            foreach (var process in processes)
            {
                process.Http.DefaultRequestHeaders.Add("X-Api-Key", await DemoDashboard.AdminKeyAsync(process.Url, AdminPassword, cancellationToken));
            }
            Dictionary<string, int>? shards = null;
            if (database is not null)
            {
                await WaitForMembersAsync(database, nodes, cancellationToken);
                shards = (await ViewAsync(processes[0], cancellationToken)).Nodes.ToDictionary(n => n.Name, n => n.ActiveShards);
            }

            // The first tenth of the history warms every node's write path (JIT, connections) and is not timed.
            var warm = Math.Max(writers, history.Length / 10);
            await PushAsync(history[..warm], processes, new long[count], writers, cancellationToken);
            var acknowledged = new long[count];
            var ingest = Stopwatch.StartNew();
            var refused = await PushAsync(history[warm..], processes, acknowledged, writers, cancellationToken);
            var ingestSeconds = ingest.Elapsed.TotalSeconds;
            output.WriteLine($"  {Setup(nodes)}: {acknowledged.Sum():N0} points acknowledged in {ingestSeconds:F2} s ({refused} writes refused and sent again); load {Load()}");

            var adapt = Stopwatch.StartNew();
            var adapted = await WaitForAdaptedAsync(processes, series, output, cancellationToken);
            var allAdapted = adapt.Elapsed.TotalSeconds;
            var reports = new List<NodeReport>();
            for (var i = 0; i < count; i++)
            {
                var (lastSeries, lastSeconds) = await LastAdaptationAsync(processes[i], cancellationToken);
                reports.Add(new NodeReport(names[i], shards?.GetValueOrDefault(names[i]), acknowledged[i], adapted[i], lastSeries, lastSeconds));
            }
            var run = new Run(nodes, reports, ingestSeconds, allAdapted) { Unadapted = Math.Max(0, series - adapted.Sum()) };
            if (database is null)
            {
                return run;
            }

            var live = new LivePusher(processes, series, start + Step * steps);
            using var stop = new CancellationTokenSource();
            var pushing = live.RunAsync(stop.Token);
            await Task.Delay(TimeSpan.FromSeconds(8), cancellationToken);
            if (nodes > 1)
            {
                var before = await ViewAsync(processes[0], cancellationToken);
                var victim = before.Nodes.Where(n => n.Status == "Active").MaxBy(n => n.ActiveShards)!;
                var index = Array.IndexOf(names, victim.Name);
                live.Exclude(index);
                await processes[index].Kill();
                var killed = Stopwatch.StartNew();
                var survivor = processes[(index + 1) % count];
                await WaitForViewAsync(survivor, v => v.Nodes.Single(n => n.Name == victim.Name).Status != "Active" && v.UnreachableShards.Count == 0
                    && v.Nodes.Where(n => n.Name != victim.Name).Sum(n => n.ActiveShards) == Shards, cancellationToken);
                run = run with { Failover = new FailoverReport(victim.Name, victim.ActiveShards, killed.Elapsed.TotalSeconds, 0, 0) };
                output.WriteLine($"  {Setup(nodes)}: {victim.Name} ({victim.ActiveShards} shards) killed, all shards on survivors after {killed.Elapsed.TotalSeconds:F1} s");
            }
            else
            {
                run = run with { Failover = new FailoverReport("-", 0, double.NaN, 0, 0) };
            }
            await Task.Delay(TimeSpan.FromSeconds(10), cancellationToken);
            await stop.CancelAsync();
            await pushing;
            // Deliveries queued by the last points go out within the dispatcher's poll.
            await Task.Delay(TimeSpan.FromSeconds(5), cancellationToken);
            var living = processes.Where((p, i) => !live.Excluded(i)).First();
            var listed = (await living.Http.GetFromJsonAsync<SeriesView>("api/cluster/series", Json, cancellationToken))!;
            var (lost, events, overlapping) = await CheckAsync(database, live.Acknowledged.Concat(HistoryPoints(series, steps, start)), output, cancellationToken);
            return run with
            {
                Failover = run.Failover! with { LiveAcknowledged = live.Acknowledged.Count, Refused = live.Refused },
                LostPoints = lost,
                SeriesListed = listed.Series.Select(s => s.Key).Distinct(StringComparer.Ordinal).Count(),
                Events = events,
                DuplicateEvents = overlapping,
                WebhookKeys = receiver.Taken.Count,
                DeliveredTwice = receiver.Taken.Count(k => k.Value > 1),
            };
        }
        finally
        {
            foreach (var process in processes)
            {
                await process.DisposeAsync();
            }
            foreach (var state in states)
            {
                Directory.Delete(state, recursive: true);
            }
        }
    }

    private static Dictionary<string, string> Settings(string? database, string name, Uri webhook)
    {
        var settings = new Dictionary<string, string>
        {
            ["Dashboard:AdminPassword"] = AdminPassword,
            ["Forecasting:Device"] = "cpu",
            ["Forecasting:StartupDelay"] = "00:00:01",
            ["Forecasting:CatchUpInterval"] = "00:00:05",
            ["Forecasting:MetaTrainingSteps"] = "60",
            ["Forecasting:MetaTrainingBudget"] = "00:01:00",
            ["Detection:Webhooks:Endpoints:0:Name"] = "bench",
            ["Detection:Webhooks:Endpoints:0:Url"] = webhook.ToString(),
            ["Detection:Webhooks:MinSeriesInterval"] = "00:00:00",
            ["Logging:LogLevel:Default"] = "Warning",
        };
        if (database is not null)
        {
            settings["Cluster:Enabled"] = "true";
            settings["Cluster:PostgreSql"] = database;
            settings["Cluster:NodeName"] = name;
            settings["Cluster:Shards"] = Shards.ToString(CultureInfo.InvariantCulture);
            settings["Cluster:SiloPort"] = LoopbackPort.Free().ToString(CultureInfo.InvariantCulture);
            settings["Cluster:GatewayPort"] = LoopbackPort.Free().ToString(CultureInfo.InvariantCulture);
            // The keeper's first pass after the nodes have joined: the shards are placed over all of them.
            settings["Cluster:ShardCheckInterval"] = "00:00:30";
        }
        return settings;
    }

    /// <summary>The batches dealt round-robin to the writers, each batch to the next node; a refused write goes to the next node. Returns the refusals.</summary>
    private static async Task<int> PushAsync(string[] batches, IReadOnlyList<ProductProcess> nodes, long[] acknowledged, int writers, CancellationToken cancellationToken)
    {
        var refused = 0;
        await Task.WhenAll(Enumerable.Range(0, writers).Select(async writer =>
        {
            for (var i = writer; i < batches.Length; i += writers)
            {
                var points = batches[i].Count(c => c == '\n');
                for (var attempt = 0; ; attempt++)
                {
                    var node = (i + attempt) % nodes.Count;
                    if (await TryWriteAsync(nodes[node], batches[i], cancellationToken))
                    {
                        Interlocked.Add(ref acknowledged[node], points);
                        break;
                    }
                    if (attempt > 20)
                    {
                        throw new InvalidOperationException($"batch {i} refused 20 times");
                    }
                    Interlocked.Increment(ref refused);
                }
            }
        }));
        return refused;
    }

    private static async Task<bool> TryWriteAsync(ProductProcess node, string body, CancellationToken cancellationToken)
    {
        try
        {
            var (status, _) = await node.WriteAsync(body, cancellationToken);
            return status == HttpStatusCode.NoContent;
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            return false;
        }
    }

    private static async Task WaitForMembersAsync(string database, int nodes, CancellationToken cancellationToken)
    {
        await using var source = NpgsqlDataSource.Create(database);
        for (var attempt = 0; attempt < 600; attempt++)
        {
            await using var command = source.CreateCommand("SELECT count(*) FROM OrleansMembershipTable WHERE Status = 3");
            if ((long)(await command.ExecuteScalarAsync(cancellationToken))! >= nodes)
            {
                // Each node's own view of the membership follows within its next refresh.
                await Task.Delay(TimeSpan.FromSeconds(5), cancellationToken);
                return;
            }
            await Task.Delay(500, cancellationToken);
        }
        throw new InvalidOperationException($"{nodes} nodes did not all join within 5 minutes");
    }

    /// <summary>Waits until the nodes together have adapted every series (each the series its shards hold); the count per node.</summary>
    private static async Task<int[]> WaitForAdaptedAsync(IReadOnlyList<ProductProcess> nodes, int series, TextWriter output, CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(6);
        var adapted = new int[nodes.Count];
        while (DateTime.UtcNow < deadline)
        {
            for (var i = 0; i < nodes.Count; i++)
            {
                var listing = await nodes[i].Http.GetFromJsonAsync<JsonElement>("api/series", cancellationToken);
                adapted[i] = listing.EnumerateArray().Count(s => s.GetProperty("model").GetProperty("status").GetString() == "Adapted");
            }
            if (adapted.Sum() >= series)
            {
                return adapted;
            }
            await Task.Delay(1000, cancellationToken);
        }
        output.WriteLine($"  only {adapted.Sum()} of {series} series adapted within 6 minutes");
        return adapted;
    }

    private static async Task<(int Series, double Seconds)> LastAdaptationAsync(ProductProcess node, CancellationToken cancellationToken)
    {
        var status = await node.Http.GetFromJsonAsync<JsonElement>("api/adaptation", cancellationToken);
        if (status.GetProperty("last") is not { ValueKind: JsonValueKind.Object } last)
        {
            return (0, 0);
        }
        return (last.GetProperty("seriesAdapted").GetInt32(), TimeSpan.Parse(last.GetProperty("duration").GetString()!, CultureInfo.InvariantCulture).TotalSeconds);
    }

    private static async Task<ClusterViewBody> ViewAsync(ProductProcess node, CancellationToken cancellationToken) =>
        (await node.Http.GetFromJsonAsync<ClusterViewBody>("api/cluster", Json, cancellationToken))!;

    private static async Task WaitForViewAsync(ProductProcess node, Func<ClusterViewBody, bool> done, CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(3);
        while (DateTime.UtcNow < deadline)
        {
            try
            {
                if (done(await ViewAsync(node, cancellationToken)))
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
            }
            await Task.Delay(250, cancellationToken);
        }
        throw new InvalidOperationException("the survivors did not hold every shard within 3 minutes");
    }

    /// <summary>Acknowledged points missing from PostgreSQL; the ledger's events, and those that overlap an earlier event of their series.</summary>
    private static async Task<(int Lost, long Events, long Overlapping)> CheckAsync(string database, IEnumerable<(string Series, long Ticks)> acknowledged, TextWriter output, CancellationToken cancellationToken)
    {
        await using var source = NpgsqlDataSource.Create(database);
        var stored = new HashSet<(string, long)>();
        await using (var command = source.CreateCommand("SELECT series_key, ts FROM metaanomaly_points"))
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                stored.Add((reader.GetString(0), reader.GetInt64(1)));
            }
        }
        await using (var pairs = source.CreateCommand("""
            SELECT a.series_key, a.start_ts, a.end_ts, a.node, b.start_ts, b.end_ts, b.node FROM metaanomaly_events a JOIN metaanomaly_events b
                ON a.series_key = b.series_key AND a.start_ts < b.start_ts AND b.start_ts <= a.end_ts ORDER BY a.series_key LIMIT 5
            """))
        await using (var reader = await pairs.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                output.WriteLine($"  overlapping: {reader.GetString(0)} {Time(reader.GetInt64(1))}..{Time(reader.GetInt64(2))} by {reader.GetString(3)}, {Time(reader.GetInt64(4))}..{Time(reader.GetInt64(5))} by {reader.GetString(6)}");
            }
        }
        await using var events = source.CreateCommand("""
            SELECT (SELECT count(*) FROM metaanomaly_events),
                   (SELECT count(*) FROM metaanomaly_events a JOIN metaanomaly_events b
                        ON a.series_key = b.series_key AND a.start_ts < b.start_ts AND b.start_ts <= a.end_ts)
            """);
        await using var counts = await events.ExecuteReaderAsync(cancellationToken);
        await counts.ReadAsync(cancellationToken);
        return (acknowledged.Count(p => !stored.Contains(p)), counts.GetInt64(0), counts.GetInt64(1));
    }

    private static string Time(long ticks) => new DateTimeOffset(ticks, TimeSpan.Zero).ToString("MM-dd HH:mm", CultureInfo.InvariantCulture);

    private static IEnumerable<(string, long)> HistoryPoints(int series, int steps, DateTimeOffset start) =>
        Enumerable.Range(0, steps).SelectMany(step => Enumerable.Range(0, series).Select(s => (Key(s), (start + Step * step).UtcTicks)));

    private static string Key(int series) => $"load,host=h{series:000}#value";

    private static string Line(int series, DateTimeOffset at, double value) =>
        string.Create(CultureInfo.InvariantCulture, $"load,host=h{series:000} value={value:F3} {at.ToUnixTimeSeconds()}\n");

    /// <summary>A daily sine per series with seeded noise (the same in every run).</summary>
    private static double Value(int series, int step)
    {
        var noise = new Random(series * 100_003 + step).NextDouble() - 0.5;
        return 50 + series % 7 + 10 * Math.Sin(2 * Math.PI * step / 288 + series) + noise;
    }

    private static string Setup(int nodes) => nodes == 0 ? "single node" : $"cluster N={nodes}";

    private static string Load() => File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "?";


    private static JsonSerializerOptions Json { get; } = new(JsonSerializerDefaults.Web);

    /// <summary>
    /// One step of every series per write, round-robin over the nodes not excluded, every 30th step a spike on every
    /// tenth series; a refused write goes to the next node. Only 204-answered points count.
    /// </summary>
    private sealed class LivePusher(IReadOnlyList<ProductProcess> nodes, int series, DateTimeOffset from)
    {
        private readonly List<(string Series, long Ticks)> _acknowledged = [];
        private readonly HashSet<int> _excluded = [];
        private int _refused;

        public int Refused => _refused;

        public IReadOnlyList<(string Series, long Ticks)> Acknowledged
        {
            get
            {
                lock (_acknowledged)
                {
                    return _acknowledged.ToArray();
                }
            }
        }

        public void Exclude(int node)
        {
            lock (_excluded)
            {
                _excluded.Add(node);
            }
        }

        public bool Excluded(int node)
        {
            lock (_excluded)
            {
                return _excluded.Contains(node);
            }
        }

        public async Task RunAsync(CancellationToken stop)
        {
            var next = 0;
            for (var step = 0; !stop.IsCancellationRequested; step++)
            {
                var at = from + Step * step;
                var body = new StringBuilder();
                for (var s = 0; s < series; s++)
                {
                    var spike = step % 30 == 15 && s % 10 == 0 ? 80 : 0;
                    body.Append(Line(s, at, Value(s, step) + spike));
                }
                while (!stop.IsCancellationRequested)
                {
                    int node;
                    lock (_excluded)
                    {
                        var live = Enumerable.Range(0, nodes.Count).Where(i => !_excluded.Contains(i)).ToArray();
                        node = live[next++ % live.Length];
                    }
                    if (await TryWriteAsync(nodes[node], body.ToString(), CancellationToken.None))
                    {
                        lock (_acknowledged)
                        {
                            _acknowledged.AddRange(Enumerable.Range(0, series).Select(s => (Key(s), at.UtcTicks)));
                        }
                        break;
                    }
                    Interlocked.Increment(ref _refused);
                }
                await Task.Delay(LivePause, CancellationToken.None);
            }
        }
    }

    /// <summary>One node of a run: its shards, the points it acknowledged, the series it adapted, and its last adaptation run (the node's read model keeps only the last).</summary>
    private sealed record NodeReport(string Name, int? Shards, long Acknowledged, int Adapted, int LastRunSeries, double LastRunSeconds)
    {
        public double LastRunRate => LastRunSeconds > 0 ? LastRunSeries / LastRunSeconds : 0;
    }

    private sealed record FailoverReport(string Killed, int ShardsMoved, double Seconds, int LiveAcknowledged, int Refused);

    /// <param name="AdaptedSeconds">From the end of the ingest until every series was adapted, or until the wait ended with <see cref="Unadapted"/> series left.</param>
    private sealed record Run(int NodeCount, IReadOnlyList<NodeReport> Nodes, double IngestSeconds, double AdaptedSeconds)
    {
        public string Setup => ClusterBenchmark.Setup(NodeCount);

        public double PointsPerSecond => Nodes.Sum(n => n.Acknowledged) / IngestSeconds;

        /// <summary>Series adapted per second of wall time from the end of the ingest, meta-training included.</summary>
        public double AdaptedPerSecond => Nodes.Sum(n => n.Adapted) / AdaptedSeconds;

        /// <summary>Series not adapted when the wait ended (0: all were, and <see cref="AdaptedPerSecond"/> is to the last one).</summary>
        public int Unadapted { get; init; }

        public FailoverReport? Failover { get; init; }

        public int LostPoints { get; init; }

        public int SeriesListed { get; init; }

        public long Events { get; init; }

        public long DuplicateEvents { get; init; }

        public int WebhookKeys { get; init; }

        public int DeliveredTwice { get; init; }

        public string Summary() => $"  {Setup}: {PointsPerSecond:N0} points/s, {(Unadapted == 0 ? "all series adapted" : $"{Unadapted} series not adapted")} after {AdaptedSeconds:F1} s" +
            (Failover is { } f ? $", failover {f.Seconds:F1} s, lost {LostPoints}, series listed {SeriesListed}, events {Events} (overlapping {DuplicateEvents}), webhook keys {WebhookKeys} (twice {DeliveredTwice})" : "");
    }

    private sealed record ClusterViewBody(int Shards, IReadOnlyList<ClusterNodeBody> Nodes, IReadOnlyList<int> UnreachableShards);

    private sealed record ClusterNodeBody(string Name, string Status, int ActiveShards);

    private sealed record SeriesView(IReadOnlyList<SeriesEntry> Series);

    private sealed record SeriesEntry(string Key, string Node);
}
