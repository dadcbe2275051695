namespace MetaAnomaly.Forecasting.Clustering;

/// <summary>
/// Groups series by period, then clusters each period group by the shape of its seasonal profile with k-medoids,
/// choosing k in 1..<see cref="MaxClustersPerPeriod"/> by the mean silhouette. Ids stay stable: a full re-clustering
/// gives each new cluster the id of the previous cluster of that period it shares most members with, and
/// <see cref="Join"/> puts new series into the nearest existing cluster of their period without touching the others.
/// </summary>
/// <remarks>
/// k-medoids by alternation (Park and Jun, 2009) from deterministic farthest-first seeds; silhouette (Rousseeuw, 1987)
/// must reach <see cref="MinimumSilhouette"/> for k &gt; 1, else the group stays one cluster. Aperiodic series form one
/// cluster of their own.
/// </remarks>
public sealed class PeriodClusterer(int maxClustersPerPeriod = PeriodClusterer.DefaultMaxClustersPerPeriod)
{
    public const int DefaultMaxClustersPerPeriod = 4;
    public const double MinimumSilhouette = 0.25;
    private const int MinimumMembersPerCluster = 2;
    private const int Iterations = 20;

    /// <summary>Larger period groups are clustered on an evenly spaced sample, then every member joins its nearest medoid.</summary>
    private const int MaximumSample = 256;

    public int MaxClustersPerPeriod => maxClustersPerPeriod;

    public IReadOnlyList<SeriesCluster> Cluster(IReadOnlyList<ClusterMember> members, IReadOnlyList<SeriesCluster>? previous = null)
    {
        var clusters = new List<SeriesCluster>();
        foreach (var group in members.GroupBy(m => m.Period).OrderBy(g => g.Key))
        {
            var items = group.OrderBy(m => m.Key).ToArray();
            var partitions = group.Key == 0 ? [items] : Partition(items);
            var old = previous?.Where(c => c.Period == group.Key).ToList() ?? [];
            var used = new HashSet<string>();
            foreach (var part in partitions.OrderByDescending(p => p.Length))
            {
                var keys = part.Select(m => m.Key).ToHashSet();
                var match = old.Where(c => !used.Contains(c.Id))
                    .Select(c => (c.Id, Overlap: c.Members.Count(keys.Contains)))
                    .Where(c => c.Overlap > 0)
                    .OrderByDescending(c => c.Overlap)
                    .FirstOrDefault();
                var id = match.Id ?? NextId(group.Key, old.Select(c => c.Id).Concat(used));
                used.Add(id);
                clusters.Add(new SeriesCluster(id, group.Key, Medoid(part), part.Select(m => m.Key).ToArray()));
            }
        }
        return clusters.OrderBy(c => c.Period).ThenBy(c => c.Id, StringComparer.Ordinal).ToArray();
    }

    /// <summary>
    /// Adds <paramref name="newcomers"/> to the nearest existing cluster of their period (by profile distance to the
    /// medoid); series of a period no cluster has yet are clustered among themselves under new ids.
    /// </summary>
    public IReadOnlyList<SeriesCluster> Join(IReadOnlyList<SeriesCluster> existing, IReadOnlyList<ClusterMember> newcomers)
    {
        var members = existing.ToDictionary(c => c.Id, c => c.Members.ToList());
        var homeless = new List<ClusterMember>();
        foreach (var member in newcomers)
        {
            foreach (var list in members.Values)
            {
                list.Remove(member.Key);
            }
            var nearest = existing.Where(c => c.Period == member.Period)
                .MinBy(c => c.Period == 0 ? 0 : SeasonalProfile.Distance(c.Medoid, member.Profile));
            if (nearest is null)
            {
                homeless.Add(member);
            }
            else
            {
                members[nearest.Id].Add(member.Key);
            }
        }
        var joined = existing.Select(c => c with { Members = members[c.Id].Order().ToArray() }).Where(c => c.Members.Count > 0).ToList();
        joined.AddRange(Cluster(homeless, existing));
        return joined.OrderBy(c => c.Period).ThenBy(c => c.Id, StringComparer.Ordinal).ToArray();
    }

    private ClusterMember[][] Partition(ClusterMember[] items)
    {
        if (items.Length <= MaximumSample)
        {
            return PartitionAll(items);
        }
        var stride = (double)items.Length / MaximumSample;
        var sample = Enumerable.Range(0, MaximumSample).Select(i => items[(int)(i * stride)]).ToArray();
        var medoids = PartitionAll(sample).Select(Medoid).ToArray();
        return items.GroupBy(m => Enumerable.Range(0, medoids.Length).MinBy(c => SeasonalProfile.Distance(medoids[c], m.Profile)))
            .Select(g => g.ToArray())
            .ToArray();
    }

    private ClusterMember[][] PartitionAll(ClusterMember[] items)
    {
        var n = items.Length;
        var distances = new double[n, n];
        for (var i = 0; i < n; i++)
        {
            for (var j = i + 1; j < n; j++)
            {
                distances[i, j] = distances[j, i] = SeasonalProfile.Distance(items[i].Profile, items[j].Profile);
            }
        }
        int[] best = new int[n];
        var bestScore = double.NegativeInfinity;
        for (var k = 2; k <= Math.Min(maxClustersPerPeriod, n / MinimumMembersPerCluster); k++)
        {
            var labels = KMedoids(distances, n, k);
            if (labels.GroupBy(l => l).Any(g => g.Count() < MinimumMembersPerCluster))
            {
                continue;
            }
            var score = Silhouette(distances, labels, k);
            if (score > bestScore)
            {
                bestScore = score;
                best = labels;
            }
        }
        if (bestScore < MinimumSilhouette)
        {
            return [items];
        }
        return best.Select((label, i) => (label, item: items[i])).GroupBy(p => p.label).Select(g => g.Select(p => p.item).ToArray()).ToArray();
    }

    private static int[] KMedoids(double[,] d, int n, int k)
    {
        var medoids = new List<int> { 0 };
        while (medoids.Count < k)
        {
            medoids.Add(Enumerable.Range(0, n).Where(i => !medoids.Contains(i)).MaxBy(i => medoids.Min(m => d[i, m])));
        }
        var labels = new int[n];
        for (var iteration = 0; iteration < Iterations; iteration++)
        {
            for (var i = 0; i < n; i++)
            {
                labels[i] = Enumerable.Range(0, k).MinBy(c => d[i, medoids[c]]);
            }
            var changed = false;
            for (var c = 0; c < k; c++)
            {
                var members = Enumerable.Range(0, n).Where(i => labels[i] == c).ToArray();
                if (members.Length == 0)
                {
                    continue;
                }
                var medoid = members.MinBy(i => members.Sum(j => d[i, j]));
                changed |= medoid != medoids[c];
                medoids[c] = medoid;
            }
            if (!changed)
            {
                break;
            }
        }
        return labels;
    }

    private static double Silhouette(double[,] d, int[] labels, int k)
    {
        var n = labels.Length;
        var total = 0.0;
        for (var i = 0; i < n; i++)
        {
            var mean = new double[k];
            var count = new int[k];
            for (var j = 0; j < n; j++)
            {
                if (j != i)
                {
                    mean[labels[j]] += d[i, j];
                    count[labels[j]]++;
                }
            }
            if (count[labels[i]] == 0)
            {
                continue;
            }
            var a = mean[labels[i]] / count[labels[i]];
            var b = Enumerable.Range(0, k).Where(c => c != labels[i] && count[c] > 0).Min(c => mean[c] / count[c]);
            total += (b - a) / Math.Max(Math.Max(a, b), 1e-12);
        }
        return total / n;
    }

    private static IReadOnlyList<double> Medoid(ClusterMember[] part) =>
        part.Length == 0 || part[0].Period == 0 ? [] : part.MinBy(m => part.Sum(o => SeasonalProfile.Distance(m.Profile, o.Profile)))!.Profile;

    private static string NextId(int period, IEnumerable<string> taken)
    {
        var prefix = period == 0 ? "aperiodic-" : $"p{period}-";
        var set = taken.ToHashSet();
        for (var i = 0; ; i++)
        {
            var id = prefix + Letters(i);
            if (!set.Contains(id))
            {
                return id;
            }
        }
    }

    private static string Letters(int index) => index < 26 ? ((char)('a' + index)).ToString() : Letters(index / 26 - 1) + (char)('a' + index % 26);
}
