using System.Buffers;
using System.Collections.Concurrent;
using System.Text;
using MetaAnomaly.Shared.Series;

namespace MetaAnomaly.Ingest.LineProtocol;

/// <summary>
/// Maps the raw bytes of a line's series part and field key to its <see cref="SeriesKey"/>, so that a known series
/// costs one lookup and no allocation. Holds only the keys <c>admits</c> lets in (in the host: series the buffers
/// already hold, so a refused series is never cached), and at most <c>maxCacheBytes</c> of them (estimated), cleared
/// when it outgrows that. Thread-safe.
/// </summary>
public sealed class SeriesKeyCache
{
    /// <summary>Per entry beyond its text: the dictionary node, the key object and its tag array.</summary>
    private const int EntryOverheadBytes = 160;

    private readonly ConcurrentDictionary<string, SeriesKey> _keys = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, SeriesKey>.AlternateLookup<ReadOnlySpan<char>> _lookup;
    private readonly Func<SeriesKey, bool> _admits;
    private readonly long _maxCacheBytes;
    private long _cachedBytes;

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
        _lookup = _keys.GetAlternateLookup<ReadOnlySpan<char>>();
    }

    public int MaxKeyBytes { get; }

    /// <summary>Estimated bytes held.</summary>
    public long CachedBytes => Interlocked.Read(ref _cachedBytes);

    public int Count => _keys.Count;

    public SeriesKey Get(ReadOnlySpan<byte> line, ParsedLine parsed, in ParsedField field)
    {
        var series = parsed.Series.Of(line);
        var key = field.Key.Of(line);
        var length = series.Length + 1 + key.Length;
        char[]? rented = null;
        var chars = length <= 512 ? stackalloc char[length] : (rented = ArrayPool<char>.Shared.Rent(length));
        try
        {
            var written = Encoding.UTF8.GetChars(series, chars);
            chars[written++] = ' ';
            written += Encoding.UTF8.GetChars(key, chars[written..]);
            var lookupKey = chars[..written];
            if (_lookup.TryGetValue(lookupKey, out var known))
            {
                return known;
            }
            var created = Create(line, parsed, field);
            if (_admits(created))
            {
                Cache(lookupKey, created);
            }
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

    private void Cache(ReadOnlySpan<char> lookupKey, SeriesKey key)
    {
        var bytes = EntryOverheadBytes + 2L * sizeof(char) * lookupKey.Length;
        if (Interlocked.Add(ref _cachedBytes, bytes) > _maxCacheBytes)
        {
            _keys.Clear();
            Interlocked.Exchange(ref _cachedBytes, bytes);
        }
        _lookup.TryAdd(lookupKey, key);
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
