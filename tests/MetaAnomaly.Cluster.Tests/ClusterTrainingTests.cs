using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using MetaAnomaly.Cluster.Tests.Support;
using Xunit.Abstractions;

namespace MetaAnomaly.Cluster.Tests;

/// <summary>
/// Two silos of the real host on test.sh's PostgreSQL, the series spread over both, the daily job on a 30-second cron:
/// each cluster of series is meta-trained once in the cluster (one version in the cluster's model registry) and both
/// nodes serve that version; Quartz, clustered on the same database, fires each firing of the job on one node only, and
/// that run reaches both nodes (each node's last run is the schedule's). Accounts and API keys are the cluster's: the
/// admin seeded once signs in on both, and the writer key made on one node lists and writes on the other. Each node's
/// series page lists every series of the cluster.
/// </summary>
[Collection(nameof(ClusterFailoverTests))]
public sealed class ClusterTrainingTests(ITestOutputHelper output)
{
    private const int Shards = 16;
    private const string AdaptationJob = "forecasting-adaptation";
    private const int CronSeconds = 30;
    private static readonly TimeSpan StartTimeout = TimeSpan.FromMinutes(4);

    [SkippableFact]
    public async Task EachClusterIsMetaTrainedOnceAndEachFiringOfTheDailyJobRunsOnceOnEveryNode()
    {
        Skip.If(TestPostgres.Server is null, TestPostgres.Missing);
        await using var postgres = await TestPostgres.CreateAsync();
        var nodes = Enumerable.Range(1, 2).Select(i =>
        {
            var settings = TestCluster.ScoringSiloSettings($"node{i}", postgres.ConnectionString, Shards);
            settings["Cluster__ShardCheckInterval"] = "00:01:00";
            // No rebalancing: a shard moved after the last firing has its series adapted by a catch-up run, which would
            // then be the node's last run (the rebalancing tests cover moves).
            settings["Cluster__ShardMovesPerCheck"] = "0";
            settings["Forecasting__AdaptationCron"] = $"0/{CronSeconds} * * * * ?";
            return NodeProcess.Start($"node{i}", settings);
        }).ToArray();
        await TestCluster.RunAsync(nodes, output, async () =>
        {
            await Task.WhenAll(nodes.Select(n => n.WaitHealthyAsync(StartTimeout)));
            // Both nodes are members before anything places a shard (the first call of the cluster API does), so both hold series.
            await WaitForMembersAsync(postgres, nodes.Length, StartTimeout);
            await Task.WhenAll(nodes.Select(n => n.SignInAsync()));
            var spread = await TestCluster.WaitForViewAsync(nodes[0], v => v.Nodes.Count(n => n.Status == "Active") == 2 && v.UnreachableShards.Count == 0
                && v.Nodes.Sum(n => n.ActiveShards) == Shards, StartTimeout);
            Assert.True(spread.Nodes.All(n => n.ActiveShards > 0), $"a node holds no shard: {TestCluster.Describe(spread)}");
            output.WriteLine("shards: " + TestCluster.Describe(spread));
            await AssertKeysAreTheClustersAsync(nodes);

            var pusher = new SeriesPusher(nodes, output);
            await pusher.PushHistoryAsync(360);
            using var stop = new CancellationTokenSource();
            var pushing = pusher.RunAsync(stop.Token);
            await TestCluster.WaitForAdaptedAsync(nodes, TimeSpan.FromMinutes(6), output);
            foreach (var node in nodes)
            {
                var page = await node.Client.GetStringAsync("/series");
                var missing = Enumerable.Range(0, SeriesPusher.SeriesCount).Select(SeriesPusher.SeriesKey).Where(key => !page.Contains(key, StringComparison.Ordinal)).ToArray();
                Assert.True(missing.Length == 0, $"{node.Name}'s series page lists {SeriesPusher.SeriesCount - missing.Length} of {SeriesPusher.SeriesCount} series; missing {string.Join(", ", missing)}");
            }
            var adaptedAt = DateTimeOffset.UtcNow;
            var firings = await WaitForFiringsAsync(postgres, adaptedAt, 2, TimeSpan.FromMinutes(2));
            // The fanned-out runs of the last firing finish within the catch-up's pace.
            await Task.Delay(TimeSpan.FromSeconds(5));
            await stop.CancelAsync();
            await pushing;

            output.WriteLine($"runs of {AdaptationJob}: {string.Join("; ", firings.Select(f => $"{f.Fired:O} on {f.Instance}"))}");
            // A run begins within its firing's cron slot (the job does not overlap itself, and each run here takes seconds).
            var twice = firings.GroupBy(f => f.Fired.UtcTicks / TimeSpan.FromSeconds(CronSeconds).Ticks).Where(g => g.Count() > 1).ToArray();
            Assert.True(twice.Length == 0, $"{twice.Length} firings of {AdaptationJob} ran more than once, first: {string.Join(", ", twice.FirstOrDefault() ?? Enumerable.Empty<Firing>())}");

            var versions = await VersionsAsync(postgres);
            output.WriteLine("registry: " + string.Join(", ", versions.Select(v => $"{v.Cluster} v{v.Version} by {v.Node}")));
            Assert.NotEmpty(versions);
            Assert.All(versions, v => Assert.True(v.Version == 1, $"cluster {v.Cluster} was meta-trained {v.Version} times"));
            var current = versions.ToDictionary(v => v.Cluster, v => v.Version, StringComparer.Ordinal);
            foreach (var node in nodes)
            {
                var clusters = await node.Client.GetFromJsonAsync<JsonElement>("/api/clusters");
                var served = clusters.EnumerateArray().Where(c => c.GetProperty("members").GetArrayLength() > 0).ToArray();
                Assert.NotEmpty(served);
                foreach (var cluster in served)
                {
                    var id = cluster.GetProperty("id").GetString()!;
                    Assert.True(current.ContainsKey(id), $"{node.Name} serves cluster {id}, which is not in the cluster's registry");
                    Assert.Equal(current[id], cluster.GetProperty("modelVersion").GetInt32());
                }
                var last = (await node.Client.GetFromJsonAsync<JsonElement>("/api/adaptation")).GetProperty("last");
                Assert.Equal("schedule", last.GetProperty("trigger").GetString());
                Assert.True(last.GetProperty("startedAt").GetDateTimeOffset() >= adaptedAt, $"{node.Name}'s last run began before the series were adapted: the firings did not reach it");
            }
        });
    }

    internal static async Task WaitForMembersAsync(TestPostgres postgres, int count, TimeSpan timeout)
    {
        await using var database = postgres.OpenDataSource();
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            await using var command = database.CreateCommand("SELECT count(*) FROM OrleansMembershipTable WHERE Status = 3");
            var active = (long)(await command.ExecuteScalarAsync())!;
            if (active >= count)
            {
                // Each node's own view of the membership follows within its next refresh.
                await Task.Delay(TimeSpan.FromSeconds(5));
                return;
            }
            Assert.True(DateTime.UtcNow < deadline, $"only {active} of {count} nodes joined within {timeout}");
            await Task.Delay(500);
        }
    }

    /// <summary>Each node's writer key is listed by the other node and writes there.</summary>
    private static async Task AssertKeysAreTheClustersAsync(NodeProcess[] nodes)
    {
        for (var i = 0; i < nodes.Length; i++)
        {
            var other = nodes[(i + 1) % nodes.Length];
            var keys = await other.Client.GetFromJsonAsync<JsonElement>("/api/keys");
            var listed = keys.EnumerateArray().Select(k => k.GetProperty("id").GetString()!).ToArray();
            var id = nodes[i].WriterKey!.Split('_')[1];
            Assert.True(listed.Contains(id), $"{other.Name} does not list the key made on {nodes[i].Name} ({id}); it lists {string.Join(", ", listed)}");
            using var request = new HttpRequestMessage(HttpMethod.Post, "/write?db=test&precision=s")
            {
                Content = new StringContent($"keys,host=from-{nodes[i].Name} value=1 {DateTimeOffset.UtcNow.AddMinutes(-1).ToUnixTimeSeconds()}\n"),
            };
            request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes("writer:" + nodes[i].WriterKey)));
            using var response = await other.Client.SendAsync(request);
            Assert.True(response.StatusCode == HttpStatusCode.NoContent, $"{other.Name} answered {response.StatusCode} to {nodes[i].Name}'s writer key");
        }
    }

    /// <summary>Waits until the job has run at least <paramref name="count"/> times for firings scheduled after <paramref name="since"/>; every run of the job then.</summary>
    private static async Task<IReadOnlyList<Firing>> WaitForFiringsAsync(TestPostgres postgres, DateTimeOffset since, int count, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        IReadOnlyList<Firing> firings = [];
        while (DateTime.UtcNow < deadline)
        {
            firings = await FiringsAsync(postgres, AdaptationJob);
            if (firings.Count(f => f.Fired > since) >= count)
            {
                return firings;
            }
            await Task.Delay(1000);
        }
        Assert.Fail($"{AdaptationJob} ran {firings.Count(f => f.Fired > since)} times within {timeout} of the series being adapted, not {count}");
        return firings;
    }

    internal static async Task<IReadOnlyList<Firing>> FiringsAsync(TestPostgres postgres, string job)
    {
        await using var database = postgres.OpenDataSource();
        await using var command = database.CreateCommand("SELECT fired_time, instance_name FROM qrtz_execution_history WHERE job_name = @job ORDER BY fired_time");
        command.Parameters.AddWithValue("job", job);
        await using var reader = await command.ExecuteReaderAsync();
        var firings = new List<Firing>();
        while (await reader.ReadAsync())
        {
            firings.Add(new Firing(new DateTimeOffset(reader.GetInt64(0), TimeSpan.Zero), reader.GetString(1)));
        }
        return firings;
    }

    private static async Task<IReadOnlyList<(string Cluster, int Version, string Node)>> VersionsAsync(TestPostgres postgres)
    {
        await using var database = postgres.OpenDataSource();
        await using var command = database.CreateCommand("SELECT cluster_id, MAX(version), string_agg(node, ',') FROM metaanomaly_models GROUP BY cluster_id ORDER BY cluster_id");
        await using var reader = await command.ExecuteReaderAsync();
        var versions = new List<(string, int, string)>();
        while (await reader.ReadAsync())
        {
            versions.Add((reader.GetString(0), reader.GetInt32(1), reader.GetString(2)));
        }
        return versions;
    }

    /// <summary>One run of the job in Quartz's execution history: when it fired (its <c>fired_time</c>, in ticks) and on which scheduler instance.</summary>
    internal sealed record Firing(DateTimeOffset Fired, string Instance);
}
