namespace MetaAnomaly.Forecasting.Episodes;

/// <summary>
/// Draws tasks from a cluster's histories: a series uniformly, then a support start uniformly among those whose
/// reach (lags and anchor), support and query fit in it. Series too short for one task are never drawn.
/// </summary>
public sealed class EpisodeSampler
{
    private readonly SeriesSegment[] _series;
    private readonly EpisodeLayout _layout;

    public EpisodeSampler(IEnumerable<SeriesSegment> series, EpisodeLayout layout)
    {
        _layout = layout;
        _series = series.Where(s => s.Count >= layout.TaskSpan).ToArray();
    }

    public bool IsEmpty => _series.Length == 0;

    public int SeriesCount => _series.Length;

    public IReadOnlyList<TaskCut> Sample(int count, Random random)
    {
        if (IsEmpty)
        {
            throw new InvalidOperationException($"No series holds the {_layout.TaskSpan} slots one task needs.");
        }
        var cuts = new TaskCut[count];
        for (var i = 0; i < count; i++)
        {
            var series = _series[random.Next(_series.Length)];
            cuts[i] = new TaskCut(series, random.Next(_layout.Reach, series.Count - _layout.SupportSize - _layout.QuerySize + 1));
        }
        return cuts;
    }

    /// <summary>Up to <paramref name="perSeries"/> evenly spaced tasks from each series (a fixed validation set).</summary>
    public IReadOnlyList<TaskCut> Evenly(int perSeries)
    {
        var cuts = new List<TaskCut>();
        foreach (var series in _series)
        {
            var last = series.Count - _layout.SupportSize - _layout.QuerySize;
            var count = Math.Min(perSeries, last - _layout.Reach + 1);
            for (var i = 0; i < count; i++)
            {
                var start = count == 1 ? last : _layout.Reach + (int)((long)(last - _layout.Reach) * i / (count - 1));
                cuts.Add(new TaskCut(series, start));
            }
        }
        return cuts;
    }
}
