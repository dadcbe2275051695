using System.Text;
using MetaAnomaly.Forecasting.Engine;
using static TorchSharp.torch;

namespace MetaAnomaly.Forecasting.Learners.Optimization;

/// <summary>
/// Writes and reads a learner's named meta-parameters (<see cref="TensorIo"/> per tensor), refusing a stream made by
/// another learner or with other shapes.
/// </summary>
internal static class MetaParameterFile
{
    public static void Save(Stream destination, string learner, IReadOnlyList<(string Name, Tensor Value)> parameters)
    {
        using var writer = new BinaryWriter(destination, Encoding.UTF8, leaveOpen: true);
        writer.Write(learner);
        writer.Write(parameters.Count);
        foreach (var (name, value) in parameters)
        {
            writer.Write(name);
            TensorIo.Write(writer, value);
        }
    }

    public static void Load(Stream source, string learner, IReadOnlyList<(string Name, Tensor Value)> parameters)
    {
        using var reader = new BinaryReader(source, Encoding.UTF8, leaveOpen: true);
        var stored = reader.ReadString();
        if (stored != learner)
        {
            throw new InvalidDataException($"The stream holds a {stored} meta-state, not {learner}.");
        }
        var count = reader.ReadInt32();
        if (count != parameters.Count)
        {
            throw new InvalidDataException($"The stream holds {count} tensors; {learner} has {parameters.Count}.");
        }
        using var noGrad = no_grad();
        foreach (var (name, value) in parameters)
        {
            var storedName = reader.ReadString();
            if (storedName != name)
            {
                throw new InvalidDataException($"The stream holds '{storedName}' where {learner} expects '{name}'.");
            }
            using var loaded = TensorIo.Read(reader, value.shape);
            value.copy_(loaded);
        }
    }
}
