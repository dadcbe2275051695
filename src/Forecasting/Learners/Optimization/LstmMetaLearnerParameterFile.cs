using System.Text;
using static TorchSharp.torch;

namespace MetaAnomaly.Forecasting.Learners.Optimization;

/// <summary>Writes and reads a learner's meta-parameters as named float arrays, checked against the learner's shapes.</summary>
internal static class LstmMetaLearnerParameterFile
{
    private const string Magic = "MetaAnomaly.MetaParameters/1";

    public static void Save(Stream destination, string learner, IReadOnlyList<(string Name, Tensor Value)> parameters)
    {
        using var writer = new BinaryWriter(destination, Encoding.UTF8, leaveOpen: true);
        writer.Write(Magic);
        writer.Write(learner);
        writer.Write(parameters.Count);
        foreach (var (name, value) in parameters)
        {
            writer.Write(name);
            writer.Write(value.shape.Length);
            foreach (var size in value.shape)
            {
                writer.Write(size);
            }
            var data = value.detach().cpu().to(ScalarType.Float32).contiguous().data<float>().ToArray();
            foreach (var x in data)
            {
                writer.Write(x);
            }
        }
    }

    public static void Load(Stream source, string learner, IReadOnlyList<(string Name, Tensor Value)> parameters)
    {
        using var reader = new BinaryReader(source, Encoding.UTF8, leaveOpen: true);
        if (reader.ReadString() != Magic)
        {
            throw new InvalidDataException("Not a MetaAnomaly meta-parameter stream.");
        }
        var stored = reader.ReadString();
        if (stored != learner)
        {
            throw new InvalidDataException($"The stream holds a '{stored}' learner, not '{learner}'.");
        }
        var count = reader.ReadInt32();
        if (count != parameters.Count)
        {
            throw new InvalidDataException($"The stream holds {count} tensors; '{learner}' has {parameters.Count}.");
        }
        using var noGrad = no_grad();
        foreach (var (name, value) in parameters)
        {
            var storedName = reader.ReadString();
            var shape = new long[reader.ReadInt32()];
            for (var i = 0; i < shape.Length; i++)
            {
                shape[i] = reader.ReadInt64();
            }
            if (storedName != name || !shape.SequenceEqual(value.shape))
            {
                throw new InvalidDataException(
                    $"Tensor '{storedName}' [{string.Join(',', shape)}] does not fit '{name}' [{string.Join(',', value.shape)}]; " +
                    "the learner was saved with other settings (input size or hidden sizes).");
            }
            var data = new float[shape.Aggregate(1L, (a, b) => a * b)];
            for (var i = 0; i < data.Length; i++)
            {
                data[i] = reader.ReadSingle();
            }
            using var loaded = tensor(data, shape);
            value.copy_(loaded);
        }
    }
}
