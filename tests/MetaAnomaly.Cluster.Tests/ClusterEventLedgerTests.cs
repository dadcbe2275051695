using MetaAnomaly.Cluster.Configuration;
using MetaAnomaly.Cluster.Events;
using MetaAnomaly.Cluster.Storage;
using MetaAnomaly.Cluster.Tests.Support;
using MetaAnomaly.Detection.Events;
using MetaAnomaly.Detection.Webhooks;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Npgsql;

namespace MetaAnomaly.Cluster.Tests;

/// <summary>The cluster's events and webhook claims on a real PostgreSQL (test.sh's): one row per event, one claim per notification.</summary>
public sealed class ClusterEventLedgerTests
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 1, 0, 0, 0, TimeSpan.Zero);

    [SkippableFact]
    public async Task AnEventRecordedAgainByAnotherNodeIsOneRowWithItsLatestState()
    {
        Skip.If(TestPostgres.Server is null, TestPostgres.Missing);
        await using var postgres = await TestPostgres.CreateAsync();
        await using var database = await SchemaAsync(postgres);
        var ledger = new ClusterEventLedger(database);

        await ledger.RecordAsync([Event(7, "cpu,host=a#usage", T0, points: 1)], "node1", CancellationToken.None);
        await ledger.RecordAsync([Event(3, "cpu,host=a#usage", T0, points: 4), Event(3, "cpu,host=a#usage", T0, points: 5)], "node2", CancellationToken.None);
        await ledger.RecordAsync([Event(4, "cpu,host=a#usage", T0.AddHours(1), points: 1), Event(7, "cpu,host=b#usage", T0, points: 2)], "node2", CancellationToken.None);

        var listed = await ledger.ListAsync(10, CancellationToken.None);
        Assert.Equal(3, listed.Count);
        var rescored = Assert.Single(listed, a => a.Event.SeriesKey == "cpu,host=a#usage" && a.Event.Start == T0);
        Assert.Equal("node2", rescored.Node);
        Assert.Equal(5, rescored.Event.Points);
        Assert.Equal(T0.AddMinutes(4), rescored.Event.End);
        Assert.Equal(AnomalySeverity.High, rescored.Event.Severity);
    }

    [SkippableFact]
    public async Task ANotificationIsQueuedByOneNodeUnderAKeyThatNamesTheEventAlike()
    {
        Skip.If(TestPostgres.Server is null, TestPostgres.Missing);
        await using var postgres = await TestPostgres.CreateAsync();
        await using var database = await SchemaAsync(postgres);
        var ledger = new ClusterEventLedger(database);
        var node1 = Claims(ledger, "node1");
        var node2 = Claims(ledger, "node2");
        const string hook = "http://127.0.0.1:9/hook";

        // The same event has another store id on each node; two other events have the same store id.
        var opened = node1.KeyOf(Event(7, "cpu,host=a#usage", T0, points: 1), WebhookPayload.OpenedType);
        Assert.Equal(opened, node2.KeyOf(Event(3, "cpu,host=a#usage", T0, points: 1), WebhookPayload.OpenedType));
        var other = node2.KeyOf(Event(7, "cpu,host=b#usage", T0, points: 1), WebhookPayload.OpenedType);
        Assert.NotEqual(opened, other);
        var resolved = node2.KeyOf(Event(3, "cpu,host=a#usage", T0, points: 5) with { Open = false }, WebhookPayload.ResolvedType);
        Assert.Equal(WebhookPayload.ResolvedType, WebhookPayload.TypeOfKey(resolved));
        Assert.Equal(WebhookPayload.OpenedType, WebhookPayload.TypeOfKey(opened));

        var claims = await Task.WhenAll(Enumerable.Range(0, 6).Select(i => (i % 2 == 0 ? node1 : node2).ClaimAsync(hook, opened, "{}", T0, CancellationToken.None)));
        Assert.Single(claims, claimed => claimed);
        Assert.True(await node1.ClaimAsync("http://127.0.0.1:10/other", opened, "{}", T0, CancellationToken.None));
        Assert.True(await node1.ClaimAsync(hook, other, "{}", T0, CancellationToken.None));
        Assert.True(await node2.ClaimAsync(hook, resolved, "{}", T0, CancellationToken.None));
        Assert.False(await node1.ClaimAsync(hook, resolved, "{}", T0, CancellationToken.None));
    }

    private static async Task<NpgsqlDataSource> SchemaAsync(TestPostgres postgres)
    {
        var database = postgres.OpenDataSource();
        await new ClusterSchema(database, Options.Create(new ClusterOptions { Enabled = true, Shards = 4 }), NullLogger<ClusterSchema>.Instance)
            .StartAsync(CancellationToken.None);
        return database;
    }

    private static ClusterWebhookClaims Claims(ClusterEventLedger ledger, string node) =>
        new(ledger, Options.Create(new ClusterOptions { Enabled = true, NodeName = node }));

    private static AnomalyEvent Event(long id, string series, DateTimeOffset start, int points) => new(
        id, series, "c1", start, start.AddMinutes(points - 1), start, 42, 10, 8, 12, 16, 0.9999,
        points > 3 ? AnomalySeverity.High : AnomalySeverity.Medium, AnomalyDirection.Up, "threshold", true, points, AnomalyFeedbackKind.None, start,
        "above the band", double.NaN);
}
