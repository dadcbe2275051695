using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using MetaAnomaly.Cluster.Apis;
using MetaAnomaly.Cluster.Tests.Support;
using Npgsql;
using Xunit.Abstractions;

namespace MetaAnomaly.Cluster.Tests;

/// <summary>
/// Three silos of the real host (separate processes) on test.sh's PostgreSQL: points pushed round-robin to every
/// node, one node SIGKILLed mid-stream. Its shards are active on the others within 60 s, every point a node answered
/// 204 for is in PostgreSQL, and a surviving node lists every series with its latest acknowledged point.
/// </summary>
[Collection(nameof(ClusterFailoverTests))]
public sealed class ClusterFailoverTests(ITestOutputHelper output)
{
    private const int Shards = 16;
    private const int SeriesCount = 24;
    private static readonly TimeSpan StartTimeout = TimeSpan.FromMinutes(4);
    private static readonly TimeSpan FailoverLimit = TimeSpan.FromSeconds(60);

    [SkippableFact]
    public async Task KilledNodesShardsMoveAndNoAcknowledgedPointIsLost()
    {
        Skip.If(TestPostgres.Server is null, TestPostgres.Missing);
        await using var postgres = await TestPostgres.CreateAsync();
        var nodes = Enumerable.Range(1, 3).Select(i => NodeProcess.Start($"node{i}", NodeProcess.SiloSettings($"node{i}", postgres.ConnectionString, Shards))).ToArray();
        try
        {
            await Task.WhenAll(nodes.Select(n => n.WaitHealthyAsync(StartTimeout)));
            await Task.WhenAll(nodes.Select(n => n.SignInAsync()));
            var spread = await WaitForViewAsync(nodes[0], v => v.Nodes.Count(n => n.Status == "Active") == 3 && v.UnreachableShards.Count == 0 && v.Nodes.Sum(n => n.ActiveShards) == Shards, StartTimeout);
            output.WriteLine("before: " + Describe(spread));
            var victim = nodes.Single(n => n.Name == spread.Nodes.Where(x => x.Status == "Active").MaxBy(x => x.ActiveShards)!.Name);
            var survivors = nodes.Where(n => n != victim).ToArray();

            var pusher = new Pusher(nodes, output);
            using var stop = new CancellationTokenSource();
            var pushing = pusher.RunAsync(stop.Token);
            await pusher.WaitForAcknowledgedAsync(SeriesCount * 20, TimeSpan.FromMinutes(2));

            pusher.Exclude(victim);
            victim.Kill();
            var killed = Stopwatch.StartNew();
            var after = await WaitForViewAsync(survivors[0], v =>
                v.Nodes.Single(n => n.Name == victim.Name).Status != "Active"
                && v.UnreachableShards.Count == 0
                && v.Nodes.Where(n => n.Name != victim.Name).Sum(n => n.ActiveShards) == Shards, FailoverLimit + TimeSpan.FromSeconds(30));
            var failover = killed.Elapsed;
            output.WriteLine($"failover: {failover.TotalSeconds:0.0} s; after: {Describe(after)}");

            var acknowledgedBefore = pusher.AcknowledgedCount;
            await pusher.WaitForAcknowledgedAsync(acknowledgedBefore + SeriesCount * 10, TimeSpan.FromMinutes(1));
            await stop.CancelAsync();
            await pushing;
            output.WriteLine($"acknowledged {pusher.AcknowledgedCount} points, {pusher.Refused} writes refused and retried");

            Assert.True(failover < FailoverLimit, $"shards of {victim.Name} active elsewhere only after {failover.TotalSeconds:0} s");
            var stored = await StoredAsync(postgres);
            var lost = pusher.Acknowledged.Where(p => !stored.Contains(p)).ToArray();
            Assert.True(lost.Length == 0, $"{lost.Length} acknowledged points not in PostgreSQL, first {lost.FirstOrDefault()}");

            var listed = (await survivors[1].Client.GetFromJsonAsync<ClusterSeriesView>("/api/cluster/series"))!;
            Assert.Empty(listed.UnreachableShards);
            Assert.Equal(Enumerable.Range(0, SeriesCount).Select(Pusher.SeriesKey).Order(StringComparer.Ordinal), listed.Series.Select(s => s.Key));
            foreach (var series in listed.Series)
            {
                var acknowledged = pusher.Acknowledged.Where(p => p.Series == series.Key).ToArray();
                Assert.Contains(series.Node, survivors.Select(n => n.Name));
                Assert.Equal(acknowledged.Max(p => p.Ticks), series.Last!.Value.UtcTicks);
                Assert.True(series.Points >= acknowledged.Length, $"{series.Key}: {series.Points} points in {series.Node}'s buffer, {acknowledged.Length} acknowledged");
            }
        }
        catch
        {
            foreach (var node in nodes)
            {
                output.WriteLine($"--- {node.Name} ---\n{Tail(node.Output)}");
            }
            throw;
        }
        finally
        {
            foreach (var node in nodes)
            {
                await node.DisposeAsync();
            }
        }
    }

    private static async Task<ClusterView> WaitForViewAsync(NodeProcess node, Func<ClusterView, bool> done, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        ClusterView? last = null;
        while (DateTime.UtcNow < deadline)
        {
            try
            {
                last = await node.Client.GetFromJsonAsync<ClusterView>("/api/cluster");
                if (last is not null && done(last))
                {
                    return last;
                }
            }
            catch (HttpRequestException)
            {
            }
            await Task.Delay(1000);
        }
        Assert.Fail($"the cluster did not get there within {timeout}; last seen by {node.Name}: {(last is null ? "nothing" : Describe(last))}");
        return last!;
    }

    private static async Task<HashSet<Pusher.Point>> StoredAsync(TestPostgres postgres)
    {
        await using var database = postgres.OpenDataSource();
        await using var command = database.CreateCommand("SELECT series_key, ts FROM metaanomaly_points");
        await using var reader = await command.ExecuteReaderAsync();
        var stored = new HashSet<Pusher.Point>();
        while (await reader.ReadAsync())
        {
            stored.Add(new Pusher.Point(reader.GetString(0), reader.GetInt64(1)));
        }
        return stored;
    }

    private static string Describe(ClusterView view) =>
        string.Join(", ", view.Nodes.Select(n => $"{n.Name} {n.Status} {n.ActiveShards} shards")) + $"; unreachable {view.UnreachableShards.Count}";

    private static string Tail(string text) => text.Length <= 6000 ? text : text[^6000..];

    /// <summary>
    /// Writes one point per series per step, round-robin over the nodes not excluded, each batch until a node answers
    /// 204 (a refused or broken write is sent again, to the next node). Only 204-answered points count as acknowledged.
    /// </summary>
    private sealed class Pusher(IReadOnlyList<NodeProcess> nodes, ITestOutputHelper output)
    {
        private static readonly DateTimeOffset Start = DateTimeOffset.FromUnixTimeSeconds(DateTimeOffset.UtcNow.AddHours(-1).ToUnixTimeSeconds());
        private readonly List<Point> _acknowledged = [];
        private readonly HashSet<NodeProcess> _excluded = [];
        private int _refused;

        public readonly record struct Point(string Series, long Ticks);

        public int Refused => Volatile.Read(ref _refused);

        public int AcknowledgedCount
        {
            get
            {
                lock (_acknowledged)
                {
                    return _acknowledged.Count;
                }
            }
        }

        public IReadOnlyList<Point> Acknowledged
        {
            get
            {
                lock (_acknowledged)
                {
                    return _acknowledged.ToArray();
                }
            }
        }

        public static string SeriesKey(int i) => $"load,host=h{i:00}#value";

        public void Exclude(NodeProcess node)
        {
            lock (_excluded)
            {
                _excluded.Add(node);
            }
        }

        public async Task WaitForAcknowledgedAsync(int count, TimeSpan timeout)
        {
            var deadline = DateTime.UtcNow + timeout;
            while (AcknowledgedCount < count)
            {
                Assert.True(DateTime.UtcNow < deadline, $"only {AcknowledgedCount} of {count} points acknowledged within {timeout}");
                await Task.Delay(200);
            }
        }

        public async Task RunAsync(CancellationToken stop)
        {
            var next = 0;
            for (var step = 0; !stop.IsCancellationRequested; step++)
            {
                var at = Start.AddSeconds(step);
                var body = new StringBuilder();
                for (var i = 0; i < SeriesCount; i++)
                {
                    body.Append(CultureInfo.InvariantCulture, $"load,host=h{i:00} value={step + i} {at.ToUnixTimeSeconds()}\n");
                }
                while (!stop.IsCancellationRequested)
                {
                    var node = NextNode(ref next);
                    if (await TryWriteAsync(node, body.ToString()))
                    {
                        lock (_acknowledged)
                        {
                            _acknowledged.AddRange(Enumerable.Range(0, SeriesCount).Select(i => new Point(SeriesKey(i), at.UtcTicks)));
                        }
                        break;
                    }
                    Interlocked.Increment(ref _refused);
                }
                await Task.Delay(50, CancellationToken.None);
            }
        }

        private NodeProcess NextNode(ref int next)
        {
            lock (_excluded)
            {
                var live = nodes.Where(n => !_excluded.Contains(n)).ToArray();
                return live[next++ % live.Length];
            }
        }

        private async Task<bool> TryWriteAsync(NodeProcess node, string body)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/write?db=test&precision=s") { Content = new StringContent(body) };
            request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes("writer:" + node.WriterKey)));
            try
            {
                using var response = await node.Client.SendAsync(request);
                if (response.StatusCode == HttpStatusCode.NoContent)
                {
                    return true;
                }
                output.WriteLine($"{node.Name} answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                output.WriteLine($"{node.Name}: {e.Message}");
            }
            return false;
        }
    }
}
