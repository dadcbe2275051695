using System.Buffers;
using System.Collections.Concurrent;
using MetaAnomaly.Shared.Series;

namespace MetaAnomaly.Ingest.Push.Prometheus;

/// <summary>
/// Maps the labels of a remote-written time series, as sent, to its <see cref="SeriesKey"/> (metric name as the
/// measurement, the other labels with a value as tags, field <see cref="RemoteWriteDecoder.Field"/>), so that a
/// known series costs one lookup and no allocation. A series whose labels exceed <c>maxKeyBytes</c> (UTF-8) has no key,
/// as a line protocol key over <c>Ingest:Push:MaxKeyBytes</c> has none. Thread-safe; cleared when it outgrows
/// <c>maxCacheBytes</c> (estimated).
/// </summary>
internal sealed class RemoteWriteSeriesKeys(int maxKeyBytes, long maxCacheBytes)
{
    /// <summary>Per entry beyond its text: the dictionary node, the key object and its tag array.</summary>
    private const int EntryOverheadBytes = 160;

    private const string MetricNameLabel = "__name__";

    private readonly ConcurrentDictionary<string, SeriesKey> _keys = new(StringComparer.Ordinal);
    private long _cachedBytes;

    private ConcurrentDictionary<string, SeriesKey>.AlternateLookup<ReadOnlySpan<char>> Lookup => _keys.GetAlternateLookup<ReadOnlySpan<char>>();

    /// <summary>The series key of <paramref name="series"/>, or null and why it has none.</summary>
    public SeriesKey? Get(TimeSeries series, out string? problem)
    {
        problem = null;
        var length = 0;
        var bytes = 0;
        foreach (var label in series.Labels)
        {
            length += label.Name.Length + label.Value.Length + 2;
            bytes += System.Text.Encoding.UTF8.GetByteCount(label.Name) + System.Text.Encoding.UTF8.GetByteCount(label.Value) + 2;
        }
        if (bytes > maxKeyBytes)
        {
            problem = $"its labels take {bytes} bytes, over Ingest:Push:MaxKeyBytes={maxKeyBytes}";
            return null;
        }
        char[]? rented = null;
        var chars = length <= 1024 ? stackalloc char[length] : (rented = ArrayPool<char>.Shared.Rent(length));
        try
        {
            var written = 0;
            foreach (var label in series.Labels)
            {
                label.Name.CopyTo(chars[written..]);
                written += label.Name.Length;
                chars[written++] = '\0';
                label.Value.CopyTo(chars[written..]);
                written += label.Value.Length;
                chars[written++] = '\0';
            }
            var lookupKey = chars[..written];
            var lookup = Lookup;
            if (lookup.TryGetValue(lookupKey, out var known))
            {
                return known;
            }
            if (Create(series, out problem) is not { } created)
            {
                return null;
            }
            var entryBytes = 2L * lookupKey.Length + EntryOverheadBytes;
            if (Interlocked.Add(ref _cachedBytes, entryBytes) > maxCacheBytes)
            {
                _keys.Clear();
                Interlocked.Exchange(ref _cachedBytes, entryBytes);
            }
            lookup.TryAdd(lookupKey, created);
            return created;
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<char>.Shared.Return(rented);
            }
        }
    }

    private static SeriesKey? Create(TimeSeries series, out string? problem)
    {
        problem = null;
        string? name = null;
        var tags = new List<KeyValuePair<string, string>>(series.Labels.Count);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var label in series.Labels)
        {
            if (label.Name.Length == 0)
            {
                problem = "a label has an empty name";
                return null;
            }
            if (!seen.Add(label.Name))
            {
                problem = $"the label {label.Name} appears twice";
                return null;
            }
            if (label.Name == MetricNameLabel)
            {
                name = label.Value;
            }
            else if (label.Value.Length > 0)
            {
                tags.Add(new(label.Name, label.Value));
            }
        }
        if (string.IsNullOrEmpty(name))
        {
            problem = "no metric name (label __name__)";
            return null;
        }
        return new SeriesKey(name, tags, RemoteWriteDecoder.Field);
    }
}
