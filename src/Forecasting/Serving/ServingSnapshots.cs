namespace MetaAnomaly.Forecasting.Serving;

/// <summary>
/// The current <see cref="ServingSnapshot"/> of every cluster. A swap (publishing a snapshot with its series' entries,
/// disposing the chunks no longer served) and every read of a chunk's model take one lock, so that serving waits for a
/// chunk swap at most, never for a run. A snapshot that is replaced or whose cluster vanished stays alive while any
/// series still serves from it (a series a re-clustering moved to a cluster that has not adapted it yet).
/// </summary>
internal sealed class ServingSnapshots(SeriesStates states) : IDisposable
{
    private readonly object _swap = new();
    private readonly Dictionary<string, ServingSnapshot> _clusters = new(StringComparer.Ordinal);
    private readonly List<ServingSnapshot> _retired = [];

    public ServingSnapshot? Of(string clusterId)
    {
        lock (_swap)
        {
            return _clusters.GetValueOrDefault(clusterId);
        }
    }

    /// <summary>
    /// Makes <paramref name="snapshot"/> the cluster's and <paramref name="entries"/> its series' at once; the chunks of
    /// the cluster's previous snapshot that <paramref name="snapshot"/> does not serve are disposed once no series
    /// serves from them.
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
                _retired.Add(previous);
            }
            _clusters[clusterId] = snapshot;
            DisposeUnserved();
        }
    }

    /// <summary>Retires the snapshots of the clusters not in <paramref name="clusterIds"/>.</summary>
    public void RetireAllBut(IReadOnlyCollection<string> clusterIds)
    {
        lock (_swap)
        {
            foreach (var id in _clusters.Keys.Where(id => !clusterIds.Contains(id)).ToArray())
            {
                _clusters.Remove(id, out var snapshot);
                _retired.Add(snapshot!);
            }
            DisposeUnserved();
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

    /// <summary>Disposes the chunks of retired snapshots that no series serves from and no live snapshot holds.</summary>
    private void DisposeUnserved()
    {
        var served = states.All.Select(e => e.Slot?.Snapshot).OfType<ServingSnapshot>().ToHashSet();
        var live = _clusters.Values.Concat(_retired.Where(served.Contains)).SelectMany(s => s.Chunks).ToHashSet();
        foreach (var snapshot in _retired.Where(s => !served.Contains(s)).ToArray())
        {
            foreach (var chunk in snapshot.Chunks.Where(c => !live.Contains(c)))
            {
                chunk.Dispose();
            }
            _retired.Remove(snapshot);
        }
    }

    public void Dispose()
    {
        lock (_swap)
        {
            foreach (var chunk in _clusters.Values.Concat(_retired).SelectMany(s => s.Chunks).Distinct())
            {
                chunk.Dispose();
            }
            _clusters.Clear();
            _retired.Clear();
        }
    }
}
