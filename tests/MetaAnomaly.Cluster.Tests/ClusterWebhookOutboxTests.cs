using MetaAnomaly.Cluster.Tests.Support;
using Npgsql;
using Xunit.Abstractions;

namespace MetaAnomaly.Cluster.Tests;

/// <summary>
/// Two silos of the real host on test.sh's PostgreSQL, their webhook endpoint down: a spike on every series raises
/// events whose notifications the nodes claim and cannot deliver; the node holding the most claims is SIGKILLed, the
/// endpoint comes up, and the survivor delivers every claimed notification, the killed node's included, each once.
/// </summary>
[Collection(nameof(ClusterFailoverTests))]
public sealed class ClusterWebhookOutboxTests(ITestOutputHelper output)
{
    private const int Shards = 8;
    private const int HistorySteps = 360;

    [SkippableFact]
    public async Task ANotificationClaimedByAKilledNodeIsDeliveredByASurvivorOncePerIdempotencyKey()
    {
        Skip.If(TestPostgres.Server is null, TestPostgres.Missing);
        await using var postgres = await TestPostgres.CreateAsync();
        await using var receiver = new WebhookReceiver(listening: false);
        var nodes = new[] { "node1", "node2" }.Select(name => NodeProcess.Start(name, Settings(name, postgres.ConnectionString, receiver.Url))).ToArray();
        await TestCluster.RunAsync(nodes, output, async () =>
        {
            await Task.WhenAll(nodes.Select(n => n.WaitHealthyAsync(TimeSpan.FromMinutes(4))));
            await Task.WhenAll(nodes.Select(n => n.SignInAsync()));
            await TestCluster.WaitForViewAsync(nodes[0], v => v.Nodes.Count(n => n.Status == "Active") == 2 && v.UnreachableShards.Count == 0 && v.Nodes.Sum(n => n.ActiveShards) == Shards, TimeSpan.FromMinutes(4));
            var pusher = new SeriesPusher(nodes, output);
            await pusher.PushHistoryAsync(HistorySteps);
            using var stop = new CancellationTokenSource();
            var pushing = pusher.RunAsync(stop.Token);
            await TestCluster.WaitForAdaptedAsync(nodes, TimeSpan.FromMinutes(6), output);
            await TestCluster.WaitForScoringLiveAsync(nodes, pusher.LatestAcknowledged, TimeSpan.FromMinutes(2), output);
            await pusher.SpikeAsync(4);

            await using var database = postgres.OpenDataSource();
            var claims = await WaitForAttemptedOpeningsAsync(database, TimeSpan.FromMinutes(2));
            await stop.CancelAsync();
            await pushing;
            var victim = nodes.Single(n => n.Name == claims.GroupBy(c => c.Node).MaxBy(g => g.Count())!.Key);
            var survivor = nodes.Single(n => n != victim);
            victim.Kill();
            var victims = claims.Where(c => c.Node == victim.Name).Select(c => c.Key).ToArray();
            output.WriteLine($"killed {victim.Name}, which claimed {victims.Length} of {claims.Count} notifications, none delivered (endpoint down)");

            receiver.Start();
            var delivered = await WaitForDeliveredAsync(database, TimeSpan.FromMinutes(3));
            output.WriteLine($"{delivered.Count} notifications delivered: {string.Join(", ", delivered.GroupBy(c => c.DeliveredBy).Select(g => $"{g.Count()} by {g.Key}"))}");

            Assert.Equal(delivered.Select(c => c.Key).Order(StringComparer.Ordinal), receiver.Taken.Keys.Order(StringComparer.Ordinal));
            var twice = receiver.Taken.Where(k => k.Value.Count > 1).ToArray();
            Assert.True(twice.Length == 0, $"{twice.Length} idempotency keys delivered more than once, first {twice.FirstOrDefault()}");
            Assert.All(victims, key => Assert.Equal(survivor.Name, delivered.Single(c => c.Key == key).DeliveredBy));
            Assert.NotEmpty(victims);
        });
    }

    private static Dictionary<string, string> Settings(string name, string postgres, Uri webhook)
    {
        var settings = TestCluster.ScoringSiloSettings(name, postgres, Shards);
        settings["Detection__Webhooks__Endpoints__0__Name"] = "test";
        settings["Detection__Webhooks__Endpoints__0__Url"] = webhook.ToString();
        settings["Detection__Webhooks__MinSeriesInterval"] = "00:00:00";
        settings["Detection__Webhooks__InitialBackoff"] = "00:00:01";
        settings["Detection__Webhooks__MaxBackoff"] = "00:00:04";
        settings["Detection__Webhooks__AttemptTimeout"] = "00:00:02";
        return settings;
    }

    /// <summary>Waits until every series' opening is claimed and attempted (and failed: the endpoint is down); every claim then.</summary>
    private static Task<IReadOnlyList<Claim>> WaitForAttemptedOpeningsAsync(NpgsqlDataSource database, TimeSpan timeout) =>
        WaitForClaimsAsync(database, claims =>
        {
            Assert.DoesNotContain(claims, c => c.State != 0);
            var attempted = claims.Count(c => c.Key.EndsWith("-opened", StringComparison.Ordinal) && c.Attempts > 0);
            return attempted >= SeriesPusher.SeriesCount ? null : $"only {attempted} of {SeriesPusher.SeriesCount} openings claimed and attempted";
        }, timeout);

    private static Task<IReadOnlyList<Claim>> WaitForDeliveredAsync(NpgsqlDataSource database, TimeSpan timeout) =>
        WaitForClaimsAsync(database, claims => claims.All(c => c.State == 1) ? null : $"{claims.Count(c => c.State != 1)} of {claims.Count} claimed notifications not delivered", timeout);

    /// <summary>Reads the claims until <paramref name="missing"/> says nothing is (null); fails with what it said last.</summary>
    private static async Task<IReadOnlyList<Claim>> WaitForClaimsAsync(NpgsqlDataSource database, Func<IReadOnlyList<Claim>, string?> missing, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        string? last = null;
        while (DateTime.UtcNow < deadline)
        {
            var claims = await ClaimsAsync(database);
            if ((last = missing(claims)) is null)
            {
                return claims;
            }
            await Task.Delay(1000);
        }
        Assert.Fail($"{last} within {timeout}");
        return [];
    }

    private static async Task<IReadOnlyList<Claim>> ClaimsAsync(NpgsqlDataSource database)
    {
        await using var command = database.CreateCommand("SELECT idempotency_key, node, state, attempts, delivered_by FROM metaanomaly_webhook_claims");
        await using var reader = await command.ExecuteReaderAsync();
        var claims = new List<Claim>();
        while (await reader.ReadAsync())
        {
            claims.Add(new Claim(reader.GetString(0), reader.GetString(1), reader.GetInt16(2), reader.GetInt32(3), reader.IsDBNull(4) ? null : reader.GetString(4)));
        }
        return claims;
    }

    private sealed record Claim(string Key, string Node, short State, int Attempts, string? DeliveredBy);
}
