namespace MetaAnomaly.Forecasting.Serving;

/// <summary>
/// The current <see cref="ServingSnapshot"/> of every cluster. A swap (publishing a snapshot with its series' entries,
/// disposing the chunks no longer served) and every read of a chunk's model take one lock, so that serving waits for a
/// chunk swap at most, never for a run.
/// </summary>
internal sealed class ServingSnapshots(SeriesStates states) : IDisposable
{
    private readonly object _swap = new();
    private readonly Dictionary<string, ServingSnapshot> _clusters = new(StringComparer.Ordinal);

    public ServingSnapshot? Of(string clusterId)
    {
        lock (_swap)
        {
            return _clusters.GetValueOrDefault(clusterId);
        }
    }

    /// <summary>
    /// Makes <paramref name="snapshot"/> the cluster's and <paramref name="entries"/> its series' at once; the chunks of
    /// the cluster's previous snapshot that <paramref name="snapshot"/> does not serve are disposed.
    /// </summary>
    public void Publish(string clusterId, ServingSnapshot snapshot, IReadOnlyList<SeriesEntry> entries)
    {
        lock (_swap)
        {
            foreach (var entry in entries)
            {
                states.Set(entry);
            }
            if (_clusters.TryGetValue(clusterId, out var previous))
            {
                var kept = snapshot.Chunks.ToHashSet();
                foreach (var chunk in previous.Chunks.Where(c => !kept.Contains(c)))
                {
                    chunk.Dispose();
                }
            }
            _clusters[clusterId] = snapshot;
        }
    }

    /// <summary>Disposes the snapshots of the clusters not in <paramref name="clusterIds"/>.</summary>
    public void RetireAllBut(IReadOnlyCollection<string> clusterIds)
    {
        lock (_swap)
        {
            foreach (var id in _clusters.Keys.Where(id => !clusterIds.Contains(id)).ToArray())
            {
                _clusters.Remove(id, out var snapshot);
                snapshot!.DisposeChunks();
            }
        }
    }

    /// <summary>Runs <paramref name="read"/> with no chunk swapped or disposed meanwhile.</summary>
    public void Read(Action read)
    {
        lock (_swap)
        {
            read();
        }
    }

    public void Dispose()
    {
        lock (_swap)
        {
            foreach (var snapshot in _clusters.Values)
            {
                snapshot.DisposeChunks();
            }
            _clusters.Clear();
        }
    }
}
