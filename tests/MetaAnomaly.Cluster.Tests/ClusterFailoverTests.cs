using System.Diagnostics;
using System.Net.Http.Json;
using MetaAnomaly.Cluster.Apis;
using MetaAnomaly.Cluster.Tests.Support;
using Npgsql;
using Xunit.Abstractions;

namespace MetaAnomaly.Cluster.Tests;

/// <summary>
/// Three silos of the real host (separate processes) on test.sh's PostgreSQL, a webhook endpoint on loopback: a
/// history long enough to meta-train pushed round-robin to every node, then one point per series per step, and once
/// every series is adapted and scored one node is SIGKILLed mid-stream. Its shards are active on the others within
/// 60 s, every point a node answered 204 for is in PostgreSQL, a surviving node lists every series with its latest
/// acknowledged point, a spike pushed right after the failover (before the survivors have adapted the moved series) is
/// raised by the survivors as one event per series, no two events of one series overlap, and no idempotency key
/// reaches the endpoint twice.
/// </summary>
[Collection(nameof(ClusterFailoverTests))]
public sealed class ClusterFailoverTests(ITestOutputHelper output)
{
    private const int Shards = 16;
    private const int SeriesCount = SeriesPusher.SeriesCount;
    private const int HistorySteps = 360;
    private const int SpikeSteps = 4;
    private static readonly TimeSpan StartTimeout = TimeSpan.FromMinutes(4);
    private static readonly TimeSpan FailoverLimit = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan AdaptationTimeout = TimeSpan.FromMinutes(6);

    [SkippableFact]
    public async Task KilledNodesShardsMoveAndNothingIsLostRaisedTwiceOrDeliveredTwice()
    {
        Skip.If(TestPostgres.Server is null, TestPostgres.Missing);
        await using var postgres = await TestPostgres.CreateAsync();
        await using var receiver = new WebhookReceiver();
        var nodes = Enumerable.Range(1, 3).Select(i => NodeProcess.Start($"node{i}", Settings($"node{i}", postgres.ConnectionString, receiver.Url))).ToArray();
        await TestCluster.RunAsync(nodes, output, async () =>
        {
            await Task.WhenAll(nodes.Select(n => n.WaitHealthyAsync(StartTimeout)));
            await Task.WhenAll(nodes.Select(n => n.SignInAsync()));
            var spread = await TestCluster.WaitForViewAsync(nodes[0], v => v.Nodes.Count(n => n.Status == "Active") == 3 && v.UnreachableShards.Count == 0 && v.Nodes.Sum(n => n.ActiveShards) == Shards, StartTimeout);
            output.WriteLine("before: " + TestCluster.Describe(spread));
            var victim = nodes.Single(n => n.Name == spread.Nodes.Where(x => x.Status == "Active").MaxBy(x => x.ActiveShards)!.Name);
            var survivors = nodes.Where(n => n != victim).ToArray();

            var pusher = new SeriesPusher(nodes, output);
            await pusher.PushHistoryAsync(HistorySteps);
            using var stop = new CancellationTokenSource();
            var pushing = pusher.RunAsync(stop.Token);
            await TestCluster.WaitForAdaptedAsync(nodes, AdaptationTimeout, output);
            await pusher.WaitForAcknowledgedAsync(pusher.AcknowledgedCount + SeriesCount * 20, TimeSpan.FromMinutes(2));
            var moved = (await victim.Client.GetFromJsonAsync<ClusterSeriesView>("/api/cluster/series"))!.Series.Where(s => s.Node == victim.Name).Select(s => s.Key).ToArray();

            pusher.Exclude(victim);
            victim.Kill();
            var killed = Stopwatch.StartNew();
            var after = await TestCluster.WaitForViewAsync(survivors[0], v =>
                v.Nodes.Single(n => n.Name == victim.Name).Status != "Active"
                && v.UnreachableShards.Count == 0
                && v.Nodes.Where(n => n.Name != victim.Name).Sum(n => n.ActiveShards) == Shards, FailoverLimit + TimeSpan.FromSeconds(30));
            var failover = killed.Elapsed;
            output.WriteLine($"failover: {failover.TotalSeconds:0.0} s; after: {TestCluster.Describe(after)}; {moved.Length} series moved");
            Assert.True(failover < FailoverLimit, $"shards of {victim.Name} active elsewhere only after {failover.TotalSeconds:0} s");

            // A spike while the moved series' new owners have still to adapt them: they prime their detectors on what
            // they read back and score what arrived after it, the spike among it, once adapted.
            var (spikeFrom, spikeTo) = await pusher.SpikeAsync(SpikeSteps);
            output.WriteLine($"spike of every series from {spikeFrom:O} to {spikeTo:O}");
            await TestCluster.WaitForAdaptedAsync(survivors, AdaptationTimeout, output);
            var raised = await WaitForRaisedAsync(postgres, receiver, spikeFrom, spikeTo, TimeSpan.FromMinutes(4));
            await pusher.WaitForAcknowledgedAsync(pusher.AcknowledgedCount + SeriesCount * 10, TimeSpan.FromMinutes(1));
            await stop.CancelAsync();
            await pushing;
            // Deliveries queued by the last points go out within the dispatcher's poll.
            await Task.Delay(TimeSpan.FromSeconds(5));
            output.WriteLine($"acknowledged {pusher.AcknowledgedCount} points, {pusher.Refused} writes refused and retried; {raised}");

            var stored = await ClusterTables.PointsAsync(postgres);
            var lost = pusher.Acknowledged.Where(p => !stored.Contains(p)).ToArray();
            Assert.True(lost.Length == 0, $"{lost.Length} acknowledged points not in PostgreSQL, first {lost.FirstOrDefault()}");

            var listed = (await survivors[1].Client.GetFromJsonAsync<ClusterSeriesView>("/api/cluster/series"))!;
            Assert.Empty(listed.UnreachableShards);
            Assert.Equal(Enumerable.Range(0, SeriesCount).Select(SeriesPusher.SeriesKey).Order(StringComparer.Ordinal), listed.Series.Select(s => s.Key));
            foreach (var series in listed.Series)
            {
                var acknowledged = pusher.Acknowledged.Where(p => p.Series == series.Key).ToArray();
                Assert.Contains(series.Node, survivors.Select(n => n.Name));
                Assert.Equal(acknowledged.Max(p => p.Ticks), series.Last!.Value.UtcTicks);
                Assert.True(series.Points >= acknowledged.Length, $"{series.Key}: {series.Points} points in {series.Node}'s buffer, {acknowledged.Length} acknowledged");
            }

            var overlapping = ClusterTables.Overlapping(await ClusterTables.EventsAsync(postgres));
            Assert.True(overlapping.Count == 0, $"{overlapping.Count} events raised twice, first {overlapping.FirstOrDefault()}");
            var twice = receiver.Taken.Where(k => k.Value.Count > 1).ToArray();
            Assert.True(twice.Length == 0, $"{twice.Length} idempotency keys delivered more than once, first {twice.FirstOrDefault()}");
        });
    }

    /// <summary>A silo whose webhook endpoint is <paramref name="webhook"/>, every notification sent at once.</summary>
    private static Dictionary<string, string> Settings(string name, string postgres, Uri webhook)
    {
        var settings = TestCluster.ScoringSiloSettings(name, postgres, Shards);
        settings["Detection__Webhooks__Endpoints__0__Name"] = "test";
        settings["Detection__Webhooks__Endpoints__0__Url"] = webhook.ToString();
        settings["Detection__Webhooks__MinSeriesInterval"] = "00:00:00";
        return settings;
    }

    /// <summary>Waits until every series has an event in PostgreSQL over the spike and its opening reached the endpoint.</summary>
    private static async Task<string> WaitForRaisedAsync(TestPostgres postgres, WebhookReceiver receiver, DateTimeOffset from, DateTimeOffset to, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        string[] missing = [];
        while (DateTime.UtcNow < deadline)
        {
            var events = await ClusterTables.EventsAsync(postgres);
            var opened = receiver.Taken.Values.Where(d => d.Type == "anomaly.opened").Select(d => d.Series).ToHashSet(StringComparer.Ordinal);
            missing = Enumerable.Range(0, SeriesCount).Select(SeriesPusher.SeriesKey)
                .Where(s => !events.Any(e => e.Series == s && e.Start <= to.UtcTicks && e.End >= from.UtcTicks) || !opened.Contains(s))
                .ToArray();
            if (missing.Length == 0)
            {
                return $"{events.Count} events, {receiver.Taken.Count} idempotency keys delivered";
            }
            await Task.Delay(1000);
        }
        Assert.Fail($"the spike was not raised (an event over it in PostgreSQL and its opening delivered) for {missing.Length} series within {timeout}: {string.Join(", ", missing)}");
        return "";
    }
}
