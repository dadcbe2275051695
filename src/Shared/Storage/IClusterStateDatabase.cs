namespace MetaAnomaly.Shared.Storage;

/// <summary>
/// The state every node of a cluster shares (accounts, API keys, job runs, webhook endpoints, maintenance windows,
/// sensitivities): the cluster's database, its tables created by the cluster at start. A single node has none and
/// keeps that state in its own <see cref="IStateDatabase"/>.
/// </summary>
public interface IClusterStateDatabase : IStateDatabase
{
    /// <summary>This node's name in the cluster, for the rows it writes of its own.</summary>
    string NodeName { get; }

    /// <summary>The database of the state every node shares: the cluster's where the host has one, else its own.</summary>
    static IStateDatabase SharedOrOwn(IServiceProvider services) =>
        services.GetService(typeof(IClusterStateDatabase)) as IStateDatabase
        ?? services.GetService(typeof(IStateDatabase)) as IStateDatabase
        ?? throw new InvalidOperationException($"No {nameof(IStateDatabase)} is registered.");
}
