using MetaAnomaly.Shared.Series;

namespace MetaAnomaly.Detection.Tests.Support;

/// <summary>Regular in-memory series (fixed step, NaN gaps) for driving the scoring cycle in tests.</summary>
public sealed class MemorySeriesBuffers(DateTimeOffset start, TimeSpan step) : ISeriesBuffers
{
    private readonly Dictionary<SeriesKey, List<double>> _series = [];
    private readonly Dictionary<SeriesKey, int> _recoveredThrough = [];

    public void Append(SeriesKey key, params double[] values)
    {
        if (!_series.TryGetValue(key, out var list))
        {
            _series[key] = list = [];
        }
        list.AddRange(values);
    }

    /// <summary>Appends <paramref name="values"/> as points read back from storage (a restart's, a shard taken over).</summary>
    public void Recover(SeriesKey key, params double[] values)
    {
        Append(key, values);
        _recoveredThrough[key] = _series[key].Count - 1;
    }

    /// <summary>Drops the series (its shard moved to another node).</summary>
    public void Remove(SeriesKey key)
    {
        _series.Remove(key);
        _recoveredThrough.Remove(key);
    }

    public IReadOnlyList<SeriesInfo> ListSeries() => _series.Keys.Select(k => Describe(k)!).ToArray();

    public SeriesInfo? Describe(SeriesKey key) => _series.TryGetValue(key, out var list)
        ? new SeriesInfo(key, step, list.Count, start, start + step * (list.Count - 1))
        {
            RecoveredThrough = _recoveredThrough.TryGetValue(key, out var recovered) ? start + step * recovered : null,
        }
        : null;

    public SeriesWindow? Latest(SeriesKey key, int maxPoints)
    {
        if (!_series.TryGetValue(key, out var list))
        {
            return null;
        }
        var skip = Math.Max(0, list.Count - maxPoints);
        return new SeriesWindow(key, start + step * skip, step, list.Skip(skip).ToArray());
    }

    public SeriesWindow? Range(SeriesKey key, DateTimeOffset from, DateTimeOffset to)
    {
        if (!_series.TryGetValue(key, out var list))
        {
            return null;
        }
        var first = Math.Max(0, (int)Math.Ceiling((from - start) / step));
        var last = Math.Min(list.Count - 1, (int)Math.Floor((to - start) / step));
        return new SeriesWindow(key, start + step * first, step, last >= first ? list.Skip(first).Take(last - first + 1).ToArray() : []);
    }
}
