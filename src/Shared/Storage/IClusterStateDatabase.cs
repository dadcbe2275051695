namespace MetaAnomaly.Shared.Storage;

/// <summary>
/// The state every node of a cluster shares (accounts and API keys): the cluster's database, its tables created by
/// the cluster at start. A single node has none and keeps that state in its own <see cref="IStateDatabase"/>.
/// </summary>
public interface IClusterStateDatabase : IStateDatabase;
