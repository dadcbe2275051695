using System.Buffers;
using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Text;
using MetaAnomaly.Shared.Series;

namespace MetaAnomaly.Ingest.Wal;

/// <summary>
/// One log record: a batch of points, framed as <c>[payload length: int32][CRC-32C of the payload: uint32][payload]</c>.
/// The payload holds the batch's distinct series keys once (canonical text, UTF-8) and then, per point, the index of
/// its key, its UTC ticks and its value; all little-endian.
/// </summary>
internal static class WalRecord
{
    public const int HeaderBytes = 8;

    private const int PointBytes = sizeof(int) + sizeof(long) + sizeof(double);

    /// <summary>The framed record in a pooled array; the caller returns <see cref="WalFrame.Buffer"/> to the pool.</summary>
    public static WalFrame Encode(ReadOnlySpan<DataPoint> points)
    {
        var keyIndex = new Dictionary<SeriesKey, int>();
        var keys = new List<string>();
        var indexes = ArrayPool<int>.Shared.Rent(points.Length);
        var keyBytes = 0;
        for (var p = 0; p < points.Length; p++)
        {
            ref var index = ref CollectionsMarshal.GetValueRefOrAddDefault(keyIndex, points[p].Key, out var known);
            if (!known)
            {
                index = keys.Count;
                var text = points[p].Key.ToString();
                keys.Add(text);
                keyBytes += sizeof(int) + Encoding.UTF8.GetByteCount(text);
            }
            indexes[p] = index;
        }
        var payloadBytes = sizeof(int) + keyBytes + sizeof(int) + points.Length * PointBytes;
        var buffer = ArrayPool<byte>.Shared.Rent(HeaderBytes + payloadBytes);
        var payload = buffer.AsSpan(HeaderBytes, payloadBytes);
        var at = 0;
        BinaryPrimitives.WriteInt32LittleEndian(payload[at..], keys.Count);
        at += sizeof(int);
        foreach (var key in keys)
        {
            var length = Encoding.UTF8.GetBytes(key, payload[(at + sizeof(int))..]);
            BinaryPrimitives.WriteInt32LittleEndian(payload[at..], length);
            at += sizeof(int) + length;
        }
        BinaryPrimitives.WriteInt32LittleEndian(payload[at..], points.Length);
        at += sizeof(int);
        for (var p = 0; p < points.Length; p++)
        {
            BinaryPrimitives.WriteInt32LittleEndian(payload[at..], indexes[p]);
            BinaryPrimitives.WriteInt64LittleEndian(payload[(at + sizeof(int))..], points[p].Timestamp.UtcTicks);
            BinaryPrimitives.WriteDoubleLittleEndian(payload[(at + sizeof(int) + sizeof(long))..], points[p].Value);
            at += PointBytes;
        }
        ArrayPool<int>.Shared.Return(indexes);
        BinaryPrimitives.WriteInt32LittleEndian(buffer, payloadBytes);
        BinaryPrimitives.WriteUInt32LittleEndian(buffer.AsSpan(sizeof(int)), Crc32C.Of(payload));
        return new WalFrame(buffer, HeaderBytes + payloadBytes);
    }

    /// <summary>The points of a payload whose CRC matched; <paramref name="keys"/> caches parsed keys across records.</summary>
    public static List<DataPoint> Decode(ReadOnlySpan<byte> payload, Dictionary<string, SeriesKey> keys)
    {
        var at = 0;
        var keyCount = BinaryPrimitives.ReadInt32LittleEndian(payload);
        at += sizeof(int);
        var recordKeys = new SeriesKey[keyCount];
        for (var k = 0; k < keyCount; k++)
        {
            var length = BinaryPrimitives.ReadInt32LittleEndian(payload[at..]);
            var text = Encoding.UTF8.GetString(payload.Slice(at + sizeof(int), length));
            at += sizeof(int) + length;
            if (!keys.TryGetValue(text, out var key))
            {
                key = SeriesKey.Parse(text);
                keys.Add(text, key);
            }
            recordKeys[k] = key;
        }
        var count = BinaryPrimitives.ReadInt32LittleEndian(payload[at..]);
        at += sizeof(int);
        var points = new List<DataPoint>(count);
        for (var p = 0; p < count; p++)
        {
            var key = recordKeys[BinaryPrimitives.ReadInt32LittleEndian(payload[at..])];
            var ticks = BinaryPrimitives.ReadInt64LittleEndian(payload[(at + sizeof(int))..]);
            var value = BinaryPrimitives.ReadDoubleLittleEndian(payload[(at + sizeof(int) + sizeof(long))..]);
            points.Add(new DataPoint(key, new DateTimeOffset(ticks, TimeSpan.Zero), value));
            at += PointBytes;
        }
        return points;
    }
}

/// <summary>A framed record: the first <see cref="Length"/> bytes of a pooled <see cref="Buffer"/>.</summary>
internal readonly record struct WalFrame(byte[] Buffer, int Length);
