using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using MetaAnomaly.Cluster.Apis;
using MetaAnomaly.Cluster.Tests.Support;
using Xunit.Abstractions;

namespace MetaAnomaly.Cluster.Tests;

/// <summary>
/// Two scoring silos of the real host on test.sh's PostgreSQL, the series spread over both. Each node's anomalies API,
/// anomaly page and overview show the cluster's events with the cluster's ids; a verdict, acknowledgement and snooze
/// given on one node to an event the other node scored is the cluster's (every node shows it) and reaches the scoring
/// node's own detector (its feedback per cluster counts it). "Run now" of the daily job on one node runs once in the
/// cluster and reaches both nodes, and both list that run. The Nodes page shows both nodes with their shards.
/// </summary>
[Collection(nameof(ClusterFailoverTests))]
public sealed partial class ClusterDashboardTests(ITestOutputHelper output)
{
    private const int Shards = 16;
    private const int SpikeSteps = 4;
    private static readonly TimeSpan StartTimeout = TimeSpan.FromMinutes(4);

    [SkippableFact]
    public async Task AnyNodeShowsAndActsOnTheClustersEventsRunsJobsOnceAndListsEveryNode()
    {
        Skip.If(TestPostgres.Server is null, TestPostgres.Missing);
        await using var postgres = await TestPostgres.CreateAsync();
        var nodes = Enumerable.Range(1, 2).Select(i =>
        {
            var settings = TestCluster.ScoringSiloSettings($"node{i}", postgres.ConnectionString, Shards);
            settings["Cluster__ShardCheckInterval"] = "00:01:00";
            // Only "run now" fires the daily job during the test.
            settings["Forecasting__AdaptationCron"] = "0 0 3 1 1 ?";
            return NodeProcess.Start($"node{i}", settings);
        }).ToArray();
        await TestCluster.RunAsync(nodes, output, async () =>
        {
            await Task.WhenAll(nodes.Select(n => n.WaitHealthyAsync(StartTimeout)));
            await ClusterTrainingTests.WaitForMembersAsync(postgres, nodes.Length, StartTimeout);
            await Task.WhenAll(nodes.Select(n => n.SignInAsync()));
            var spread = await TestCluster.WaitForViewAsync(nodes[0], v => v.Nodes.Count(n => n.Status == "Active") == 2 && v.UnreachableShards.Count == 0
                && v.Nodes.Sum(n => n.ActiveShards) == Shards, StartTimeout);
            Assert.True(spread.Nodes.All(n => n.ActiveShards > 0), $"a node holds no shard: {TestCluster.Describe(spread)}");

            var pusher = new SeriesPusher(nodes, output);
            await pusher.PushHistoryAsync(360);
            using var stop = new CancellationTokenSource();
            var pushing = pusher.RunAsync(stop.Token);
            await TestCluster.WaitForAdaptedAsync(nodes, TimeSpan.FromMinutes(6), output);
            await TestCluster.WaitForScoringLiveAsync(nodes, pusher.LatestAcknowledged, TimeSpan.FromMinutes(2), output);
            var (spikeFrom, spikeTo) = await pusher.SpikeAsync(SpikeSteps);
            var spiked = await ClusterTables.WaitForSpikeEventsAsync(postgres, spikeFrom, spikeTo, TimeSpan.FromMinutes(4));
            await AssertNodesListTheClustersEventsAsync(postgres, nodes);
            await AssertAnActionOnOneNodeIsTheClustersAndReachesTheScoringNodeAsync(postgres, nodes, spiked);
            await AssertRunNowRunsOnceAndReachesEveryNodeAsync(postgres, nodes);
            await AssertTheNodesPageShowsEveryNodeAsync(nodes);
            await stop.CancelAsync();
            await pushing;
        });
    }

    /// <summary>Each node's anomalies API lists every event of the cluster with its cluster id, and its overview the newest of them.</summary>
    private async Task AssertNodesListTheClustersEventsAsync(TestPostgres postgres, NodeProcess[] nodes)
    {
        foreach (var node in nodes)
        {
            // Events of the series still alarming may change between the two reads: read until they agree.
            var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
            while (true)
            {
                var before = await ClusterTables.EventsAsync(postgres);
                using var response = await node.Client.GetAsync("/api/anomalies?pageSize=1000");
                response.EnsureSuccessStatusCode();
                var listed = (await response.Content.ReadFromJsonAsync<JsonElement>()).EnumerateArray()
                    .Select(e => (Id: e.GetProperty("id").GetInt64(), Series: e.GetProperty("seriesKey").GetString()!)).ToArray();
                var overview = await node.Client.GetStringAsync("/");
                var after = await ClusterTables.EventsAsync(postgres);
                var newest = after.OrderByDescending(e => e.Start).ThenByDescending(e => e.Id).Take(8).Select(e => e.Id).ToArray();
                var linked = AnomalyLink().Matches(overview).Select(m => long.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture)).Distinct().ToArray();
                var agree = before.SequenceEqual(after)
                    && listed.Select(e => e.Id).Order().SequenceEqual(after.Select(e => e.Id).Order())
                    && response.Headers.GetValues("X-Total-Count").Single() == after.Count.ToString(CultureInfo.InvariantCulture)
                    && linked.Order().SequenceEqual(newest.Order());
                if (agree)
                {
                    foreach (var sort in new[] { "End", "Severity", "Score", "Probability", "Series", "AnomalyScore" })
                    {
                        var sorted = await node.Client.GetFromJsonAsync<JsonElement>($"/api/anomalies?pageSize=1000&sort={sort}&desc=false");
                        Assert.Equal(after.Count, sorted.GetArrayLength());
                    }
                    var glob = await node.Client.GetFromJsonAsync<JsonElement>($"/api/anomalies?pageSize=1000&minSeverity=Low&series={Uri.EscapeDataString("load,host=h0*")}");
                    Assert.Equal(after.Count(e => e.Series.StartsWith("load,host=h0", StringComparison.Ordinal)), glob.GetArrayLength());
                    output.WriteLine($"{node.Name} lists all {after.Count} events of the cluster ({after.Count(e => e.Node != node.Name)} recorded by the other node); its overview links the newest {linked.Length}");
                    break;
                }
                Assert.True(DateTime.UtcNow < deadline,
                    $"{node.Name} lists events {string.Join(",", listed.Select(e => e.Id).Order())} and its overview links {string.Join(",", linked.Order())}; the cluster has {string.Join(",", after.Select(e => e.Id).Order())}, newest {string.Join(",", newest.Order())}");
                await Task.Delay(2000);
            }
        }
    }

    /// <summary>
    /// A verdict, acknowledgement and snooze given on one node to an event the other scored: both nodes' API and pages
    /// show them, PostgreSQL keeps the verdict's history, and the scoring node's own feedback counts the verdict while
    /// the acting node's does not.
    /// </summary>
    private async Task AssertAnActionOnOneNodeIsTheClustersAndReachesTheScoringNodeAsync(TestPostgres postgres, NodeProcess[] nodes, IReadOnlyList<ClusterTables.StoredEvent> spiked)
    {
        var target = spiked.First();
        var scoring = nodes.Single(n => n.Name == target.Node);
        var acting = nodes.Single(n => n.Name != target.Node);
        output.WriteLine($"event {target.Id} of {target.Series}, scored by {scoring.Name}, acted on at {acting.Name}");

        var confirmed = await acting.PostAsync($"/api/anomalies/{target.Id}/feedback", new { verdict = "Confirmed", comment = "the spike" });
        Assert.Equal("Confirmed", confirmed.GetProperty("feedback").GetString());
        var acknowledged = await acting.PostAsync($"/api/anomalies/{target.Id}/acknowledge", new { });
        Assert.Equal("admin", acknowledged.GetProperty("acknowledgedBy").GetString());
        var snoozed = await acting.PostAsync($"/api/anomalies/{target.Id}/snooze?hours=2", new { });
        Assert.True(snoozed.GetProperty("snoozedUntil").GetDateTimeOffset() > DateTimeOffset.UtcNow.AddHours(1.5));

        foreach (var node in nodes)
        {
            var shown = await node.Client.GetFromJsonAsync<JsonElement>($"/api/anomalies/{target.Id}");
            Assert.Equal(target.Series, shown.GetProperty("seriesKey").GetString());
            Assert.Equal("Confirmed", shown.GetProperty("feedback").GetString());
            Assert.Equal("admin", shown.GetProperty("acknowledgedBy").GetString());
            Assert.Equal(snoozed.GetProperty("snoozedUntil").GetDateTimeOffset(), shown.GetProperty("snoozedUntil").GetDateTimeOffset());
            var page = await node.Client.GetStringAsync($"/anomalies/{target.Id}");
            Assert.Contains(target.Series, page, StringComparison.Ordinal);
            var confirmedOnly = await node.Client.GetFromJsonAsync<JsonElement>("/api/anomalies?feedback=Confirmed");
            Assert.Equal([target.Id], confirmedOnly.EnumerateArray().Select(e => e.GetProperty("id").GetInt64()));
        }
        await using (var database = postgres.OpenDataSource())
        await using (var history = database.CreateCommand("SELECT verdict, comment, author FROM metaanomaly_event_feedback WHERE event_id = @id"))
        {
            history.Parameters.AddWithValue("id", target.Id);
            await using var reader = await history.ExecuteReaderAsync();
            Assert.True(await reader.ReadAsync());
            Assert.Equal((1, "the spike", "admin"), (reader.GetInt16(0), reader.GetString(1), reader.GetString(2)));
            Assert.False(await reader.ReadAsync());
        }
        Assert.Equal(1, await ConfirmedByNodeAsync(scoring));
        Assert.Equal(0, await ConfirmedByNodeAsync(acting));
    }

    /// <summary>"Run now" on one node: one run in Quartz's clustered history, both nodes adapt after it, and both list that run.</summary>
    private async Task AssertRunNowRunsOnceAndReachesEveryNodeAsync(TestPostgres postgres, NodeProcess[] nodes)
    {
        var before = DateTimeOffset.UtcNow;
        using (var request = new HttpRequestMessage(HttpMethod.Post, "/api/jobs/forecasting/forecasting-adaptation/run"))
        {
            request.Headers.Add("Origin", nodes[1].BaseAddress.GetLeftPart(UriPartial.Authority));
            using var accepted = await nodes[1].Client.SendAsync(request);
            Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);
        }
        var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(3);
        JsonElement[] runs = [];
        while (true)
        {
            var lastRuns = new List<DateTimeOffset?>();
            foreach (var node in nodes)
            {
                var last = (await node.Client.GetFromJsonAsync<JsonElement>("/api/adaptation")).GetProperty("last");
                lastRuns.Add(last.ValueKind == JsonValueKind.Object ? last.GetProperty("startedAt").GetDateTimeOffset() : null);
            }
            runs = (await nodes[0].Client.GetFromJsonAsync<JsonElement>("/api/jobs/forecasting/forecasting-adaptation/runs")).EnumerateArray().ToArray();
            if (lastRuns.All(t => t >= before) && runs.Length > 0)
            {
                break;
            }
            Assert.True(DateTime.UtcNow < deadline, $"after run now: last runs {string.Join(", ", lastRuns)}, {runs.Length} runs listed by {nodes[0].Name}");
            await Task.Delay(1000);
        }
        var firings = await ClusterTrainingTests.FiringsAsync(postgres, "forecasting-adaptation");
        Assert.Single(firings);
        Assert.True(firings[0].Fired >= before.AddSeconds(-1), $"the one firing is at {firings[0].Fired:O}, before run now at {before:O}");

        var run = Assert.Single(runs);
        Assert.Equal("run now by admin", run.GetProperty("trigger").GetString());
        Assert.True(run.GetProperty("succeeded").GetBoolean());
        var ranOn = run.GetProperty("node").GetString();
        Assert.Contains(ranOn, nodes.Select(n => n.Name));
        var other = (await nodes[1].Client.GetFromJsonAsync<JsonElement>("/api/jobs/forecasting/forecasting-adaptation/runs")).EnumerateArray().ToArray();
        Assert.Equal(ranOn, Assert.Single(other).GetProperty("node").GetString());
        output.WriteLine($"run now at {nodes[1].Name} ran on {ranOn}; both nodes adapted after it and list the run");
    }

    /// <summary>Each node's Nodes page names both nodes, active, with the shards and series each runs as <c>/api/cluster</c> counts them.</summary>
    private async Task AssertTheNodesPageShowsEveryNodeAsync(NodeProcess[] nodes)
    {
        foreach (var node in nodes)
        {
            var view = (await node.Client.GetFromJsonAsync<ClusterView>("/api/cluster"))!;
            Assert.Equal(SeriesPusher.SeriesCount, view.Nodes.Sum(n => n.Series));
            var page = await node.Client.GetStringAsync("/nodes");
            Assert.Contains("2 of 2 nodes active", page, StringComparison.Ordinal);
            foreach (var shown in view.Nodes)
            {
                var row = NodeRow().Matches(page).Select(m => m.Groups[1].Value).SingleOrDefault(r => r.Contains($"<b>{shown.Name}</b>", StringComparison.Ordinal));
                Assert.True(row is not null, $"{node.Name}'s Nodes page has no row for {shown.Name}");
                var cells = Cell().Matches(row).Select(m => Tag().Replace(m.Groups[1].Value, "").Trim()).ToArray();
                Assert.Equal(["Active", shown.ActiveShards.ToString(CultureInfo.InvariantCulture), shown.Series.ToString(CultureInfo.InvariantCulture)], cells[1..4]);
            }
            Assert.Contains("href=\"/nodes\"", page, StringComparison.Ordinal);
        }
    }

    /// <summary>How many events the node's own store counts as confirmed (its feedback per cluster, which tunes its thresholds).</summary>
    private static async Task<int> ConfirmedByNodeAsync(NodeProcess node) =>
        (await node.Client.GetFromJsonAsync<JsonElement>("/api/anomalies/precision")).EnumerateArray().Sum(c => c.GetProperty("confirmed").GetInt32());

    [GeneratedRegex("href=\"/anomalies/(\\d+)\"")]
    private static partial Regex AnomalyLink();

    [GeneratedRegex("<tr[^>]*>(.*?)</tr>", RegexOptions.Singleline)]
    private static partial Regex NodeRow();

    [GeneratedRegex("<td[^>]*>(.*?)</td>", RegexOptions.Singleline)]
    private static partial Regex Cell();

    [GeneratedRegex("<[^>]+>")]
    private static partial Regex Tag();
}
