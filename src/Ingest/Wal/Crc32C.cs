using System.Buffers.Binary;
using System.Numerics;

namespace MetaAnomaly.Ingest.Wal;

/// <summary>CRC-32C (Castagnoli) of a byte span, on the CPU's CRC instruction where there is one.</summary>
internal static class Crc32C
{
    public static uint Of(ReadOnlySpan<byte> bytes)
    {
        var crc = uint.MaxValue;
        while (bytes.Length >= sizeof(ulong))
        {
            crc = BitOperations.Crc32C(crc, BinaryPrimitives.ReadUInt64LittleEndian(bytes));
            bytes = bytes[sizeof(ulong)..];
        }
        foreach (var b in bytes)
        {
            crc = BitOperations.Crc32C(crc, b);
        }
        return ~crc;
    }
}
