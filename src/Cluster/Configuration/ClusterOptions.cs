using Microsoft.Extensions.Configuration;

namespace MetaAnomaly.Cluster.Configuration;

/// <summary>
/// The <c>Cluster</c> configuration section. Off by default: the node runs alone on its embedded state, as without
/// this project. <c>Cluster:Enabled=true</c> with <see cref="PostgreSql"/> makes it a silo of the Orleans cluster
/// <see cref="ClusterId"/> on that database.
/// </summary>
public sealed class ClusterOptions
{
    public const string Section = "Cluster";

    public bool Enabled { get; set; }

    /// <summary>Npgsql connection string of the database that holds membership and every acknowledged point.</summary>
    public string? PostgreSql { get; set; }

    /// <summary>Nodes with the same id and database form one cluster.</summary>
    public string ClusterId { get; set; } = "metaanomaly";

    /// <summary>The node's name in membership and the cluster API; default: host name and silo port.</summary>
    public string? NodeName { get; set; }

    /// <summary>How many shards the series are hashed over. Fixed once the cluster's database is created.</summary>
    public int Shards { get; set; } = 64;

    /// <summary>The address other silos reach this one at.</summary>
    public string AdvertisedAddress { get; set; } = "127.0.0.1";

    public int SiloPort { get; set; } = 11111;

    public int GatewayPort { get; set; } = 30000;

    /// <summary>How often each node makes sure every shard is active, so a shard of a lost node comes back without waiting for a write.</summary>
    public TimeSpan ShardCheckInterval { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// How many of its shards a node hands to less loaded nodes at each shard check, until no live node holds more
    /// than one shard above another; 0 turns rebalancing off (shards then move only when their node is lost).
    /// </summary>
    public int ShardMovesPerCheck { get; set; } = 4;

    /// <summary>How long a write keeps retrying a shard whose node is gone before the write is refused (500, retry).</summary>
    public TimeSpan ShardWriteTimeout { get; set; } = TimeSpan.FromSeconds(45);

    /// <summary>Points older than this are deleted from PostgreSQL.</summary>
    public TimeSpan PointRetention { get; set; } = TimeSpan.FromDays(14);

    /// <summary>
    /// Whether the configuration turns the cluster on, read before options are bound and validated (composition,
    /// endpoint mapping); an unconvertible value counts as off here and is named by the options binding at start.
    /// </summary>
    public static bool EnabledIn(IConfiguration configuration) =>
        bool.TryParse(configuration[$"{Section}:{nameof(Enabled)}"], out var enabled) && enabled;

    public string ResolvedNodeName => string.IsNullOrWhiteSpace(NodeName) ? $"{Environment.MachineName}-{SiloPort}" : NodeName;
}
