using MetaAnomaly.Forecasting.Learners.Selection;

namespace MetaAnomaly.Forecasting.Registry;

/// <summary>
/// Where the cluster initialisations are kept: one node's (<see cref="ModelRegistry"/>, the default) or one that every
/// node of a cluster reads and writes (<see cref="Shared"/>).
/// </summary>
public interface IModelRegistry
{
    /// <summary>
    /// Whether other nodes store versions too: a node then serves the newer versions they stored and meta-trains a
    /// cluster only while it holds that cluster's lease (<see cref="LeaseAsync"/>), so each is trained once.
    /// </summary>
    bool Shared { get; }

    /// <summary>The current (latest) version of every cluster.</summary>
    Task<IReadOnlyList<ModelRecord>> CurrentAsync(CancellationToken cancellationToken);

    /// <summary>Stores the weights as the cluster's new current version.</summary>
    Task<ModelRecord> SaveAsync(
        string clusterId, string learner, string layout, DateTimeOffset? dataFrom, DateTimeOffset? dataTo,
        double validationError, byte[] state, CancellationToken cancellationToken);

    /// <summary>Records the score of every candidate compared when the learner of <paramref name="record"/> was chosen.</summary>
    Task SaveCandidatesAsync(ModelRecord record, IReadOnlyList<CandidateScore> candidates, CancellationToken cancellationToken);

    /// <summary>The weights of a version, or null (logged) when they are missing or unreadable.</summary>
    Task<byte[]?> TryReadStateAsync(ModelRecord record, CancellationToken cancellationToken);

    /// <summary>
    /// Held while this node meta-trains a cluster's initialisation and stores it: in a shared registry one node at a
    /// time per cluster; a registry of one node's own grants it at once.
    /// </summary>
    Task<IAsyncDisposable> LeaseAsync(string clusterId, CancellationToken cancellationToken);
}
