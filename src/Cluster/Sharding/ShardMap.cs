using System.Buffers;
using System.Text;
using MetaAnomaly.Shared.Series;

namespace MetaAnomaly.Cluster.Sharding;

/// <summary>
/// Which shard a series belongs to: FNV-1a (64 bits) of the UTF-8 canonical series key, modulo the shard count. The
/// same on every node and every version, so a shard finds its stored points again after any restart.
/// </summary>
public sealed class ShardMap(int shards)
{
    private const ulong OffsetBasis = 14695981039346656037;
    private const ulong Prime = 1099511628211;

    public int Shards { get; } = shards > 0 ? shards : throw new ArgumentOutOfRangeException(nameof(shards));

    public int ShardOf(SeriesKey key)
    {
        var text = key.ToString();
        var buffer = ArrayPool<byte>.Shared.Rent(Encoding.UTF8.GetMaxByteCount(text.Length));
        try
        {
            var hash = OffsetBasis;
            foreach (var b in buffer.AsSpan(0, Encoding.UTF8.GetBytes(text, buffer)))
            {
                hash = (hash ^ b) * Prime;
            }
            return (int)(hash % (ulong)Shards);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
