using MetaAnomaly.Cluster.Configuration;
using MetaAnomaly.Cluster.Storage;
using MetaAnomaly.Cluster.Tests.Support;
using MetaAnomaly.Shared.Series;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace MetaAnomaly.Cluster.Tests;

/// <summary>The cluster's tables on a real PostgreSQL (test.sh's): applied once by however many nodes, points by shard.</summary>
public sealed class ClusterStorageTests
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 1, 0, 0, 0, TimeSpan.Zero);

    [SkippableFact]
    public async Task SchemaIsAppliedOnceWhenNodesStartTogetherAndAgainIsANoOp()
    {
        Skip.If(TestPostgres.Server is null, TestPostgres.Missing);
        await using var postgres = await TestPostgres.CreateAsync();
        await using var database = postgres.OpenDataSource();

        await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => Schema(database, shards: 8).StartAsync(CancellationToken.None)));
        await Schema(database, shards: 8).StartAsync(CancellationToken.None);

        await using var command = database.CreateCommand("SELECT count(*) FROM metaanomaly_cluster_scripts");
        var scripts = typeof(ClusterSchema).Assembly.GetManifestResourceNames().Count(n => n.EndsWith(".sql", StringComparison.Ordinal));
        Assert.Equal((long)scripts, await command.ExecuteScalarAsync());
        await using var queries = database.CreateCommand("SELECT count(*) FROM OrleansQuery WHERE QueryKey IN ('InsertMembershipKey', 'UpdateMembershipKey', 'CleanupDefunctSiloEntryKey')");
        Assert.Equal(3L, await queries.ExecuteScalarAsync());
    }

    [SkippableFact]
    public async Task ANodeWithAnotherShardCountIsRefusedNamingTheSetting()
    {
        Skip.If(TestPostgres.Server is null, TestPostgres.Missing);
        await using var postgres = await TestPostgres.CreateAsync();
        await using var database = postgres.OpenDataSource();
        await Schema(database, shards: 8).StartAsync(CancellationToken.None);

        var refused = await Assert.ThrowsAsync<OptionsValidationException>(() => Schema(database, shards: 16).StartAsync(CancellationToken.None));
        Assert.Contains("Cluster:Shards is 16", refused.Message, StringComparison.Ordinal);
        Assert.Contains("created with 8 shards", refused.Message, StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task ShardReadsBackItsNewestPointsPerSeriesAndARetriedWriteKeepsOneRow()
    {
        Skip.If(TestPostgres.Server is null, TestPostgres.Missing);
        await using var postgres = await TestPostgres.CreateAsync();
        await using var database = postgres.OpenDataSource();
        await Schema(database, shards: 4).StartAsync(CancellationToken.None);
        var store = new ClusterPointStore(database);
        var a = SeriesKey.Parse("cpu,host=a#usage");
        var b = SeriesKey.Parse("cpu,host=b#usage");
        var points = Enumerable.Range(0, 10).SelectMany(i => new[] { new DataPoint(a, T0.AddMinutes(i), i), new DataPoint(b, T0.AddMinutes(i), -i) }).ToArray();

        await store.AppendAsync(1, points, CancellationToken.None);
        await store.AppendAsync(1, [new DataPoint(a, T0.AddMinutes(9), 98), new DataPoint(a, T0.AddMinutes(9), 99)], CancellationToken.None);
        await store.AppendAsync(2, [new DataPoint(b, T0, 7)], CancellationToken.None);

        var back = await store.ReadShardAsync(1, T0.AddMinutes(2), perSeries: 3, CancellationToken.None);
        Assert.Equal([7.0, 8, 99, -7, -8, -9], back.Select(p => p.Value));
        Assert.Equal([a, a, a, b, b, b], back.Select(p => p.Key));
        Assert.Equal(T0.AddMinutes(7), back[0].Timestamp);
        Assert.Equal([7.0], (await store.ReadShardAsync(2, T0, 100, CancellationToken.None)).Select(p => p.Value));

        Assert.Equal(4, await store.DeleteOlderThanAsync(1, T0.AddMinutes(2), CancellationToken.None));
    }

    private static ClusterSchema Schema(Npgsql.NpgsqlDataSource database, int shards) =>
        new(database, Options.Create(new ClusterOptions { Enabled = true, Shards = shards }), NullLogger<ClusterSchema>.Instance);
}
