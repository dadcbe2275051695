using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using MetaAnomaly.Cluster.Apis;
using MetaAnomaly.Cluster.Tests.Support;
using Xunit.Abstractions;

namespace MetaAnomaly.Cluster.Tests;

/// <summary>
/// One silo of the real host on test.sh's PostgreSQL scores the pushed series on all the shards; a second node then
/// joins the running cluster. Within a minute each node holds half the shards; the first node drops the series it
/// handed over (its detector no longer lists them), the second scores them, every series on exactly one node; a spike
/// is raised once per series by the node holding it; no acknowledged point is lost and no event raised twice.
/// </summary>
[Collection(nameof(ClusterFailoverTests))]
public sealed class ClusterRebalanceTests(ITestOutputHelper output)
{
    private const int Shards = 8;
    private static readonly TimeSpan StartTimeout = TimeSpan.FromMinutes(4);
    private static readonly TimeSpan RebalanceLimit = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan AdaptationTimeout = TimeSpan.FromMinutes(6);

    [SkippableFact]
    public async Task ANodeThatJoinsARunningClusterTakesHalfTheShardsAndScoresTheirSeriesInsteadOfTheFirst()
    {
        Skip.If(TestPostgres.Server is null, TestPostgres.Missing);
        await using var postgres = await TestPostgres.CreateAsync();
        var first = NodeProcess.Start("node1", TestCluster.ScoringSiloSettings("node1", postgres.ConnectionString, Shards));
        var nodes = new List<NodeProcess> { first };
        await TestCluster.RunAsync(nodes, output, async () =>
        {
            await first.WaitHealthyAsync(StartTimeout);
            await first.SignInAsync();
            await TestCluster.WaitForViewAsync(first, v => v.Nodes.Single(n => n.Name == first.Name).ActiveShards == Shards, StartTimeout);
            var pusher = new SeriesPusher([first], output);
            await pusher.PushHistoryAsync(360);
            using var stop = new CancellationTokenSource();
            var pushing = pusher.RunAsync(stop.Token);
            await TestCluster.WaitForAdaptedAsync([first], AdaptationTimeout, output);
            await TestCluster.WaitForScoringLiveAsync([first], pusher.LatestAcknowledged, TimeSpan.FromMinutes(2), output);

            var second = NodeProcess.Start("node2", TestCluster.ScoringSiloSettings("node2", postgres.ConnectionString, Shards));
            nodes.Add(second);
            await second.WaitHealthyAsync(StartTimeout);
            await second.SignInAsync();
            var joined = Stopwatch.StartNew();
            var balanced = await TestCluster.WaitForViewAsync(first, v => v.UnreachableShards.Count == 0
                && v.Nodes.Count(n => n.Status == "Active") == 2 && v.Nodes.All(n => n.Status != "Active" || n.ActiveShards == Shards / 2), RebalanceLimit);
            output.WriteLine($"balanced {joined.Elapsed.TotalSeconds:0.0} s after {second.Name} was healthy: {TestCluster.Describe(balanced)}");

            await TestCluster.WaitForAdaptedAsync(nodes, AdaptationTimeout, output);
            await TestCluster.WaitForScoringLiveAsync(nodes, pusher.LatestAcknowledged, TimeSpan.FromMinutes(2), output);
            var placed = (await first.Client.GetFromJsonAsync<ClusterSeriesView>("/api/cluster/series"))!.Series.ToDictionary(s => s.Key, s => s.Node);
            foreach (var node in nodes)
            {
                var scored = await ScoredSeriesAsync(node);
                Assert.Equal(placed.Where(p => p.Value == node.Name).Select(p => p.Key).Order(StringComparer.Ordinal), scored.Order(StringComparer.Ordinal));
            }
            Assert.Contains(placed.Values, n => n == second.Name);

            var (spikeFrom, spikeTo) = await pusher.SpikeAsync(4);
            var raised = await ClusterTables.WaitForSpikeEventsAsync(postgres, spikeFrom, spikeTo, TimeSpan.FromMinutes(4));
            Assert.All(raised, e => Assert.Equal(placed[e.Series], e.Node));
            await stop.CancelAsync();
            await pushing;

            var stored = await ClusterTables.PointsAsync(postgres);
            var lost = pusher.Acknowledged.Where(p => !stored.Contains(p)).ToArray();
            Assert.True(lost.Length == 0, $"{lost.Length} acknowledged points not in PostgreSQL, first {lost.FirstOrDefault()}");
            var overlapping = ClusterTables.Overlapping(await ClusterTables.EventsAsync(postgres));
            Assert.True(overlapping.Count == 0, $"{overlapping.Count} events raised twice, first {overlapping.FirstOrDefault()}");
        });
    }

    /// <summary>The series the node's own detector scores (its <c>/api/detection/series</c>).</summary>
    private static async Task<IReadOnlyList<string>> ScoredSeriesAsync(NodeProcess node) =>
        (await node.Client.GetFromJsonAsync<JsonElement>("/api/detection/series")).EnumerateArray().Select(s => s.GetProperty("seriesKey").GetString()!).ToArray();
}
