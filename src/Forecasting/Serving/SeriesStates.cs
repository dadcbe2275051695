using System.Collections.Concurrent;
using MetaAnomaly.Shared.Forecasts;
using MetaAnomaly.Shared.Series;

namespace MetaAnomaly.Forecasting.Serving;

/// <summary>Every series the core knows, by key: written by the stages of a run, read by serving and the read model.</summary>
internal sealed class SeriesStates
{
    private readonly ConcurrentDictionary<SeriesKey, SeriesEntry> _entries = new();

    public IEnumerable<SeriesEntry> All => _entries.Values;

    public bool TryGet(SeriesKey key, out SeriesEntry entry) => _entries.TryGetValue(key, out entry!);

    public bool Contains(SeriesKey key) => _entries.ContainsKey(key);

    /// <summary>
    /// Whether the series has no adapted model of its own cluster yet: unknown, warming up, pending, failed, or still
    /// served by the model of the cluster it was in before a re-clustering moved it.
    /// </summary>
    public bool NeedsAdaptation(SeriesKey key) => !_entries.TryGetValue(key, out var entry) || !entry.ServedByItsCluster;

    /// <summary>The step every one of <paramref name="keys"/> is known to be sampled at; null when one is unknown or they differ.</summary>
    public TimeSpan? CommonStep(IEnumerable<SeriesKey> keys)
    {
        TimeSpan? common = null;
        foreach (var key in keys)
        {
            if (!_entries.TryGetValue(key, out var entry) || entry.Step is not { } step || (common is not null && common != step))
            {
                return null;
            }
            common = step;
        }
        return common;
    }

    public SeriesModelState StateOf(SeriesKey key) => _entries.TryGetValue(key, out var entry)
        ? entry.ToState()
        : new SeriesModelState(key, SeriesModelStatus.WarmingUp, null, null, null, null, double.NaN, "not yet seen by the forecasting core");

    /// <summary>Replaces the entry of <paramref name="key"/> with <paramref name="change"/> of it (of null when unknown).</summary>
    public void Update(SeriesKey key, Func<SeriesEntry?, SeriesEntry> change) =>
        _entries.AddOrUpdate(key, _ => change(null), (_, e) => change(e));

    public void Set(SeriesEntry entry) => _entries[entry.Key] = entry;
}
