using static TorchSharp.torch;

namespace MetaAnomaly.Forecasting.Engine;

/// <summary>Reads and writes float32 tensors as shape plus little-endian values, checking the expected shape.</summary>
internal static class TensorIo
{
    public static void Write(BinaryWriter writer, Tensor tensor)
    {
        writer.Write(tensor.shape.Length);
        foreach (var d in tensor.shape)
        {
            writer.Write(d);
        }
        using var cpu = tensor.detach().cpu().contiguous();
        var values = cpu.data<float>().ToArray();
        writer.Write(values.Length);
        foreach (var v in values)
        {
            writer.Write(v);
        }
    }

    public static Tensor Read(BinaryReader reader, long[] expectedShape)
    {
        var rank = reader.ReadInt32();
        var shape = new long[rank];
        for (var i = 0; i < rank; i++)
        {
            shape[i] = reader.ReadInt64();
        }
        if (!shape.SequenceEqual(expectedShape))
        {
            throw new InvalidDataException($"Tensor shape [{string.Join(", ", shape)}] does not match the expected [{string.Join(", ", expectedShape)}].");
        }
        var count = reader.ReadInt32();
        var values = new float[count];
        for (var i = 0; i < count; i++)
        {
            values[i] = reader.ReadSingle();
        }
        return tensor(values, shape);
    }
}
