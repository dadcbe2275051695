namespace MetaAnomaly.Cluster.Sharding;

/// <summary>
/// Which shards a node hands to others so that no live node holds more than one shard above another. Every node
/// computes the same moves from the same placement (the most loaded node gives a shard to the least loaded, again,
/// ties by node name) and makes only its own: so the nodes never hand the same shortfall over twice.
/// </summary>
public static class ShardBalance
{
    /// <summary>
    /// The moves, at most <paramref name="limit"/>, that <paramref name="node"/> makes of the shards placed as
    /// <paramref name="placement"/> (shard to node) over the live <paramref name="nodes"/>: each a shard of
    /// <paramref name="node"/> and the node it goes to. None while a shard is on no live node (a failover is under way).
    /// </summary>
    public static IReadOnlyList<(int Shard, string To)> MovesOf(
        string node, IReadOnlyDictionary<int, string> placement, IReadOnlyCollection<string> nodes, int limit)
    {
        if (limit <= 0 || nodes.Count < 2 || !nodes.Contains(node) || placement.Values.Any(n => !nodes.Contains(n)))
        {
            return [];
        }
        var held = nodes.ToDictionary(n => n, n => new SortedSet<int>(), StringComparer.Ordinal);
        foreach (var (shard, owner) in placement)
        {
            held[owner].Add(shard);
        }
        var moves = new List<(int Shard, string To)>();
        while (moves.Count < limit)
        {
            var ordered = held.OrderBy(h => h.Value.Count).ThenBy(h => h.Key, StringComparer.Ordinal).ToArray();
            var (least, most) = (ordered[0], ordered[^1]);
            if (most.Value.Count - least.Value.Count <= 1)
            {
                break;
            }
            var shard = most.Value.Max;
            most.Value.Remove(shard);
            least.Value.Add(shard);
            if (most.Key == node)
            {
                moves.Add((shard, least.Key));
            }
        }
        return moves;
    }
}
