using System.Globalization;
using MetaAnomaly.Cluster.Tests.Support;
using Npgsql;
using Xunit.Abstractions;

namespace MetaAnomaly.Cluster.Tests;

/// <summary>
/// Two nodes configured with the same InfluxDB (test.sh's influxd 1.x) and PostgreSQL: one pull grain reads the
/// database, its watermarks in PostgreSQL; after a SIGKILL of the node it runs on, the survivor reads on.
/// </summary>
[Collection(nameof(ClusterFailoverTests))]
public sealed class ClusterPullTests(ITestOutputHelper output)
{
    private const int SeriesCount = 6;
    private const int HistorySteps = 600;
    private const string Source = "influx-pull";

    [SkippableFact]
    public async Task OneNodeReadsTheDatabaseAndAfterItIsKilledTheSurvivorReadsOnFromThePostgreSqlWatermark()
    {
        Skip.If(TestPostgres.Server is null, TestPostgres.Missing);
        await using var postgres = await TestPostgres.CreateAsync();
        using var influx = await InfluxDatabase.CreateAsync("clusterpull");
        // Data time a step a second, from an hour ago: the live steps below are written ten a second and stay in the past.
        var start = DateTimeOffset.FromUnixTimeSeconds(DateTimeOffset.UtcNow.AddHours(-1).ToUnixTimeSeconds());
        var written = new List<(string Series, long Ticks)>();
        await influx.WriteAsync(Steps(start, 0, HistorySteps, written));

        var nodes = new[] { "node1", "node2" }.Select(name => NodeProcess.Start(name, Settings(name, postgres.ConnectionString, influx))).ToArray();
        await TestCluster.RunAsync(nodes, output, async () =>
        {
            foreach (var node in nodes)
            {
                await node.WaitHealthyAsync(TimeSpan.FromMinutes(3));
                await node.SignInAsync();
            }
            await using var database = postgres.OpenDataSource();
            await WaitForPointsAsync(database, written.Count, TimeSpan.FromMinutes(2));

            var before = await Task.WhenAll(nodes.Select(node => PulledAsync(node)));
            output.WriteLine($"pulled before the kill: {string.Join(", ", nodes.Zip(before, (n, c) => $"{n.Name} {c}"))}");
            Assert.Single(before, count => count > 0);
            var reader = nodes[Array.FindIndex(before, count => count > 0)];
            var survivor = nodes.Single(n => n != reader);

            var step = HistorySteps;
            using var stop = new CancellationTokenSource();
            var live = Task.Run(async () =>
            {
                while (!stop.IsCancellationRequested)
                {
                    await influx.WriteAsync(Steps(start, step, 1, written));
                    step++;
                    await Task.Delay(100, CancellationToken.None);
                }
            });
            await WaitForPointsAsync(database, (HistorySteps + 20) * SeriesCount, TimeSpan.FromMinutes(1));
            reader.Kill();
            output.WriteLine($"killed {reader.Name} at live step {step - HistorySteps}");
            await TestCluster.WaitForViewAsync(survivor, view => view.Nodes.All(n => n.Name == survivor.Name || n.Status != "Active"), TimeSpan.FromSeconds(90));
            await WaitForPulledAsync(survivor, TimeSpan.FromSeconds(90));
            var takenOver = step;
            while (step < takenOver + 30)
            {
                await Task.Delay(100);
            }
            await stop.CancelAsync();
            await live;
            output.WriteLine($"{written.Count} points written to InfluxDB, {step - HistorySteps} live steps");

            await WaitForPointsAsync(database, written.Count, TimeSpan.FromMinutes(2));
            var stored = await StoredAsync(database);
            Assert.Equal(written.Count, stored.Count);
            Assert.Empty(written.Except(stored));
            var resumed = await PulledAsync(survivor);
            output.WriteLine($"{survivor.Name} pulled {resumed} points after the kill");
            // Read on from the watermark the killed reader left, not the whole history again from Ingest:Pull:InitialLookback.
            Assert.InRange(resumed, 1, HistorySteps * SeriesCount - 1);
            var mark = await WatermarkAsync(database, influx.Name);
            Assert.Equal(start.AddSeconds(step - 1).ToUnixTimeMilliseconds() * 1_000_000, mark);
        });
    }

    private static Dictionary<string, string> Settings(string name, string postgres, InfluxDatabase influx)
    {
        var settings = NodeProcess.SiloSettings(name, postgres, 8);
        settings["Ingest__Influx__Url"] = influx.Url.ToString();
        settings["Ingest__Influx__Database"] = influx.Name;
        settings["Ingest__Pull__Interval"] = "00:00:01";
        settings["Ingest__Pull__GraceWindow"] = "00:00:02";
        settings["Ingest__WriteBack__Enabled"] = "false";
        settings["Forecasting__Device"] = "cpu";
        settings["Forecasting__StartupDelay"] = "01:00:00";
        return settings;
    }

    private static string Steps(DateTimeOffset start, int from, int count, List<(string Series, long Ticks)> written)
    {
        var lines = new System.Text.StringBuilder();
        for (var step = from; step < from + count; step++)
        {
            var at = start.AddSeconds(step);
            for (var i = 0; i < SeriesCount; i++)
            {
                lines.Append(InfluxDatabase.Line("cpu", $"host=h{i}", "usage", 50 + i + 10 * Math.Sin(step / 10.0), at));
                lock (written)
                {
                    written.Add(($"cpu,host=h{i}#usage", at.UtcTicks));
                }
            }
        }
        return lines.ToString();
    }

    private static async Task WaitForPointsAsync(NpgsqlDataSource database, int count, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        long stored = 0;
        while (DateTime.UtcNow < deadline)
        {
            await using var command = database.CreateCommand("SELECT count(*) FROM metaanomaly_points");
            stored = (long)(await command.ExecuteScalarAsync())!;
            if (stored >= count)
            {
                return;
            }
            await Task.Delay(500);
        }
        Assert.Fail($"only {stored} of {count} points in metaanomaly_points within {timeout}");
    }

    private static async Task<HashSet<(string Series, long Ticks)>> StoredAsync(NpgsqlDataSource database)
    {
        await using var command = database.CreateCommand("SELECT series_key, ts FROM metaanomaly_points");
        await using var reader = await command.ExecuteReaderAsync();
        var stored = new HashSet<(string, long)>();
        while (await reader.ReadAsync())
        {
            Assert.True(stored.Add((reader.GetString(0), reader.GetInt64(1))));
        }
        return stored;
    }

    private static async Task<long> WatermarkAsync(NpgsqlDataSource database, string influxDatabase)
    {
        await using var command = database.CreateCommand("SELECT value FROM metaanomaly_pull_watermarks WHERE source = @source AND scope = 'cpu'");
        command.Parameters.AddWithValue("source", $"influx:{influxDatabase}.");
        return (long)(await command.ExecuteScalarAsync())!;
    }

    private async Task WaitForPulledAsync(NodeProcess node, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (await PulledAsync(node) == 0)
        {
            Assert.True(DateTime.UtcNow < deadline, $"{node.Name} did not pull within {timeout} of the kill");
            await Task.Delay(500);
        }
        output.WriteLine($"{node.Name} pulls");
    }

    /// <summary>The node's <c>metaanomaly_ingest_points_total{source="influx-pull"}</c> on <c>/metrics</c> (signed in as admin).</summary>
    private static async Task<long> PulledAsync(NodeProcess node)
    {
        var text = await node.Client.GetStringAsync("/metrics");
        var line = text.Split('\n').FirstOrDefault(l => l.StartsWith("metaanomaly_ingest_points_total{", StringComparison.Ordinal)
            && l.Contains($"source=\"{Source}\"", StringComparison.Ordinal));
        return line is null ? 0 : (long)double.Parse(line[(line.IndexOf('}') + 1)..].Trim().Split(' ')[0], CultureInfo.InvariantCulture);
    }
}
