namespace MetaAnomaly.Ingest.Storage;

/// <summary>
/// Where a source keeps its progress: one integer per (source, scope). A single node's is <see cref="WatermarkStore"/>
/// (its SQLite state database); a cluster's pull keeps its watermarks in the cluster's database.
/// </summary>
public interface IWatermarkStore
{
    Task<IReadOnlyDictionary<string, long>> GetAllAsync(string source, CancellationToken cancellationToken);

    Task SetAsync(string source, IEnumerable<KeyValuePair<string, long>> values, CancellationToken cancellationToken);
}
