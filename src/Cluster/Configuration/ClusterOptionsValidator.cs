using System.Net;
using Microsoft.Extensions.Options;
using Npgsql;

namespace MetaAnomaly.Cluster.Configuration;

/// <summary>Checks <see cref="ClusterOptions"/> at start when the cluster is enabled; each failure names its key.</summary>
internal sealed class ClusterOptionsValidator : IValidateOptions<ClusterOptions>
{
    public ValidateOptionsResult Validate(string? name, ClusterOptions options)
    {
        if (!options.Enabled)
        {
            return ValidateOptionsResult.Success;
        }
        var failures = new List<string>();
        void Require(bool condition, string message)
        {
            if (!condition)
            {
                failures.Add(message);
            }
        }

        Require(IsConnectionString(options.PostgreSql), "Cluster:PostgreSql must be an Npgsql connection string (Host=...;Database=...;Username=...) when Cluster:Enabled is true.");
        Require(!string.IsNullOrWhiteSpace(options.ClusterId) && options.ClusterId.Length <= 150, "Cluster:ClusterId must be 1 to 150 characters.");
        Require(options.ResolvedNodeName.Length <= 150, "Cluster:NodeName must be at most 150 characters.");
        Require(options.Shards is >= 1 and <= 65536, "Cluster:Shards must be in [1, 65536].");
        Require(IPAddress.TryParse(options.AdvertisedAddress, out _), $"Cluster:AdvertisedAddress '{options.AdvertisedAddress}' must be an IP address.");
        Require(options.SiloPort is >= 1 and <= 65535, "Cluster:SiloPort must be in [1, 65535].");
        Require(options.GatewayPort is >= 1 and <= 65535, "Cluster:GatewayPort must be in [1, 65535].");
        Require(options.SiloPort != options.GatewayPort, "Cluster:GatewayPort must differ from Cluster:SiloPort.");
        Require(options.ShardCheckInterval >= TimeSpan.FromSeconds(1), "Cluster:ShardCheckInterval must be at least 00:00:01.");
        Require(options.ShardMovesPerCheck is >= 0 and <= 65536, "Cluster:ShardMovesPerCheck must be in [0, 65536] (0: no rebalancing).");
        Require(options.ShardWriteTimeout >= TimeSpan.FromSeconds(1), "Cluster:ShardWriteTimeout must be at least 00:00:01.");
        Require(options.PointRetention >= TimeSpan.FromHours(1), "Cluster:PointRetention must be at least 01:00:00.");
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static bool IsConnectionString(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }
        try
        {
            return new NpgsqlConnectionStringBuilder(text).Host is { Length: > 0 };
        }
        catch (ArgumentException)
        {
            return false;
        }
    }
}
