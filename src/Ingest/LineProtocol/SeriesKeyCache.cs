using System.Collections.Concurrent;
using MetaAnomaly.Shared.Series;

namespace MetaAnomaly.Ingest.LineProtocol;

/// <summary>
/// Maps the raw bytes of a line's series part, then of a field key, to its <see cref="SeriesKey"/>, so that a known
/// series costs one lookup per line (not per field) and no allocation. Holds only the keys <c>admits</c> lets in (in
/// the host: series the buffers already hold, so a refused series is never cached), and at most <c>maxCacheBytes</c>
/// of them (estimated), cleared when it outgrows that. Thread-safe.
/// </summary>
public sealed class SeriesKeyCache
{
    /// <summary>Per series part beyond its bytes: the dictionary node, its array and <see cref="CachedSeries"/>.</summary>
    private const int SeriesOverheadBytes = 100;

    /// <summary>Per field beyond its text: the key object, its strings and tag array, the field's array and slot.</summary>
    private const int EntryOverheadBytes = 160;

    private readonly ConcurrentDictionary<byte[], CachedSeries> _series = new(RawBytesComparer.Instance);
    private readonly ConcurrentDictionary<byte[], CachedSeries>.AlternateLookup<ReadOnlySpan<byte>> _lookup;
    private readonly Func<SeriesKey, bool> _admits;
    private readonly long _maxCacheBytes;
    private long _cachedBytes;
    private int _count;

    /// <param name="maxKeyBytes">The longest series key (measurement, tags and field, escaped) a line may carry.</param>
    /// <param name="maxCacheBytes">The bound of the cache.</param>
    /// <param name="admits">Whether a new key may be cached; null: every key.</param>
    public SeriesKeyCache(int maxKeyBytes = Configuration.PushOptions.Defaults.MaxKeyBytes,
        long maxCacheBytes = Configuration.PushOptions.Defaults.KeyCacheMegabytes * 1024L * 1024,
        Func<SeriesKey, bool>? admits = null)
    {
        MaxKeyBytes = maxKeyBytes;
        _maxCacheBytes = maxCacheBytes;
        _admits = admits ?? (_ => true);
        _lookup = _series.GetAlternateLookup<ReadOnlySpan<byte>>();
    }

    public int MaxKeyBytes { get; }

    /// <summary>Estimated bytes held.</summary>
    public long CachedBytes => Interlocked.Read(ref _cachedBytes);

    /// <summary>Keys held.</summary>
    public int Count => Volatile.Read(ref _count);

    /// <summary>
    /// The key of <paramref name="field"/> (the <paramref name="position"/>-th of the line). <paramref name="series"/>
    /// carries the line's cached series part from one field to the next: null before the first.
    /// </summary>
    public SeriesKey Get(ReadOnlySpan<byte> line, ParsedLine parsed, in ParsedField field, int position, ref CachedSeries? series)
    {
        var fieldKey = field.Key.Of(line);
        series ??= _lookup.TryGetValue(parsed.Series.Of(line), out var found) ? found : null;
        if (series?.Find(fieldKey, position) is { } known)
        {
            return known;
        }
        var created = Create(line, parsed, field);
        if (_admits(created))
        {
            series = Cache(parsed.Series.Of(line), series, fieldKey, created);
        }
        return created;
    }

    private CachedSeries Cache(ReadOnlySpan<byte> seriesPart, CachedSeries? series, ReadOnlySpan<byte> field, SeriesKey key)
    {
        var bytes = EntryOverheadBytes + 4L * (seriesPart.Length + 1 + field.Length) + (series is null ? SeriesOverheadBytes + seriesPart.Length : 0);
        if (Interlocked.Add(ref _cachedBytes, bytes) > _maxCacheBytes)
        {
            _series.Clear();
            Interlocked.Exchange(ref _cachedBytes, bytes + (series is null ? 0 : SeriesOverheadBytes + seriesPart.Length));
            Interlocked.Exchange(ref _count, 0);
            series = null;
        }
        if (series is null)
        {
            series = new CachedSeries();
            if (!_lookup.TryAdd(seriesPart, series) && _lookup.TryGetValue(seriesPart, out var raced))
            {
                series = raced;
            }
        }
        if (series.Add(field, key))
        {
            Interlocked.Increment(ref _count);
        }
        return series;
    }

    private static SeriesKey Create(ReadOnlySpan<byte> line, ParsedLine parsed, in ParsedField field)
    {
        var tags = new KeyValuePair<string, string>[parsed.Tags.Count];
        for (var t = 0; t < tags.Length; t++)
        {
            var (key, value) = parsed.Tags[t];
            tags[t] = new(LineProtocolParser.UnescapeName(key.Of(line)), LineProtocolParser.UnescapeName(value.Of(line)));
        }
        return new SeriesKey(
            LineProtocolParser.UnescapeMeasurement(parsed.Measurement.Of(line)),
            tags,
            LineProtocolParser.UnescapeName(field.Key.Of(line)));
    }
}
