using MetaAnomaly.Cluster.Configuration;

namespace MetaAnomaly.Cluster.Tests;

public sealed class ClusterOptionsValidatorTests
{
    private readonly ClusterOptionsValidator _validator = new();

    [Fact]
    public void DisabledClusterChecksNothing()
    {
        Assert.True(_validator.Validate(null, new ClusterOptions { Shards = 0, PostgreSql = null, SiloPort = 0 }).Succeeded);
    }

    [Fact]
    public void EnabledClusterWithoutPostgreSqlNamesTheSetting()
    {
        var result = _validator.Validate(null, new ClusterOptions { Enabled = true });
        Assert.False(result.Succeeded);
        Assert.Contains(result.Failures!, f => f.StartsWith("Cluster:PostgreSql", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("not a connection string")]
    [InlineData("Database=x")]
    public void ConnectionStringWithoutAHostIsRefused(string connectionString)
    {
        var result = _validator.Validate(null, new ClusterOptions { Enabled = true, PostgreSql = connectionString });
        Assert.Contains(result.Failures!, f => f.StartsWith("Cluster:PostgreSql", StringComparison.Ordinal));
    }

    [Fact]
    public void EachBadSettingIsNamed()
    {
        var result = _validator.Validate(null, new ClusterOptions
        {
            Enabled = true,
            PostgreSql = "Host=127.0.0.1;Database=x",
            Shards = 0,
            AdvertisedAddress = "somewhere",
            SiloPort = 5000,
            GatewayPort = 5000,
            ShardCheckInterval = TimeSpan.Zero,
        });
        foreach (var setting in (string[])["Cluster:Shards", "Cluster:AdvertisedAddress", "Cluster:GatewayPort", "Cluster:ShardCheckInterval"])
        {
            Assert.Contains(result.Failures!, f => f.StartsWith(setting, StringComparison.Ordinal));
        }
    }

    [Fact]
    public void ValidClusterSettingsPass()
    {
        Assert.True(_validator.Validate(null, new ClusterOptions { Enabled = true, PostgreSql = "Host=127.0.0.1;Port=5432;Database=metaanomaly;Username=m" }).Succeeded);
    }
}
