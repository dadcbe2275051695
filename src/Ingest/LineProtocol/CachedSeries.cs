using MetaAnomaly.Shared.Series;

namespace MetaAnomaly.Ingest.LineProtocol;

/// <summary>
/// One cached series part (measurement and tags, raw bytes) and the <see cref="SeriesKey"/> of each of its fields seen
/// so far, so that a line's fields cost one lookup of the series part. Readers never lock: a new field replaces the
/// array.
/// </summary>
public sealed class CachedSeries
{
    private readonly Lock _gate = new();
    private (byte[] Field, SeriesKey Key)[] _fields = [];

    /// <param name="hint">Where the field usually is (its position in the line): lines of a series repeat their order.</param>
    internal SeriesKey? Find(ReadOnlySpan<byte> field, int hint)
    {
        var fields = Volatile.Read(ref _fields);
        if ((uint)hint < (uint)fields.Length && field.SequenceEqual(fields[hint].Field))
        {
            return fields[hint].Key;
        }
        foreach (var (bytes, key) in fields)
        {
            if (field.SequenceEqual(bytes))
            {
                return key;
            }
        }
        return null;
    }

    /// <summary>False when another writer cached the field first.</summary>
    internal bool Add(ReadOnlySpan<byte> field, SeriesKey key)
    {
        lock (_gate)
        {
            if (Find(field, -1) is not null)
            {
                return false;
            }
            Volatile.Write(ref _fields, [.. _fields, (field.ToArray(), key)]);
            return true;
        }
    }
}
