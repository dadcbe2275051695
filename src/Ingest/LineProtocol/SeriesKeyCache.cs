using System.Buffers;
using System.Collections.Concurrent;
using System.Text;
using MetaAnomaly.Shared.Series;

namespace MetaAnomaly.Ingest.LineProtocol;

/// <summary>
/// Maps the raw bytes of a line's series part and field key to its <see cref="SeriesKey"/>, so that a known series
/// costs one lookup and no allocation. Thread-safe; cleared when it outgrows <see cref="MaxEntries"/>.
/// </summary>
public sealed class SeriesKeyCache
{
    public const int MaxEntries = 1 << 20;

    private readonly ConcurrentDictionary<string, SeriesKey> _keys = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, SeriesKey>.AlternateLookup<ReadOnlySpan<char>> _lookup;

    public SeriesKeyCache()
    {
        _lookup = _keys.GetAlternateLookup<ReadOnlySpan<char>>();
    }

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
            if (_keys.Count >= MaxEntries)
            {
                _keys.Clear();
            }
            var created = Create(line, parsed, field);
            _lookup.TryAdd(lookupKey, created);
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
