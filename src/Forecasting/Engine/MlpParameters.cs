using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace MetaAnomaly.Forecasting.Engine;

/// <summary>
/// Meta-parameters of the functional MLP: per layer W [1, in, out] and b [1, 1, out], leaves that require grad,
/// initialised like <c>torch.nn.Linear</c> (uniform in +-1/sqrt(in)) from a seeded generator, the output layer at
/// zero when asked.
/// </summary>
/// <remarks>
/// A zero output layer makes the untrained forecaster output 0: on an anchored layout that is seasonal naive, so
/// meta-training starts from the strong baseline and its early stopping (which keeps the best state, the initial one
/// included) never serves worse than it on held-out series. Its first gradient step moves only the output layer; the
/// hidden layers follow from the second (as in zero-initialised residual branches).
/// </remarks>
internal sealed class MlpParameters : IDisposable
{
    private MlpParameters(IReadOnlyList<int> layerSizes, Parameter[] tensors)
    {
        LayerSizes = layerSizes;
        Tensors = tensors;
    }

    /// <summary>Input size, hidden sizes, then 1.</summary>
    public IReadOnlyList<int> LayerSizes { get; }

    public Parameter[] Tensors { get; }

    public static MlpParameters Create(int inputSize, IReadOnlyList<int> hiddenSizes, Device device, int seed, bool zeroOutputLayer)
    {
        var sizes = new List<int> { inputSize };
        sizes.AddRange(hiddenSizes);
        sizes.Add(1);
        var generator = new Generator((ulong)seed);
        var tensors = new Parameter[2 * (sizes.Count - 1)];
        using (no_grad())
        {
            for (var l = 0; l < sizes.Count - 1; l++)
            {
                var bound = zeroOutputLayer && l == sizes.Count - 2 ? 0.0 : 1.0 / Math.Sqrt(sizes[l]);
                using var w = InitialValues.Uniform([1, sizes[l], sizes[l + 1]], bound, generator);
                using var b = InitialValues.Uniform([1, 1, sizes[l + 1]], bound, generator);
                tensors[2 * l] = new Parameter(w.to(device).DetachFromDisposeScope());
                tensors[2 * l + 1] = new Parameter(b.to(device).DetachFromDisposeScope());
            }
        }
        return new MlpParameters(sizes, tensors);
    }

    /// <summary>A parameter set of the same shapes filled with <paramref name="value"/> (Meta-SGD's learning rates).</summary>
    public MlpParameters FilledLike(double value)
    {
        using (no_grad())
        {
            return new MlpParameters(LayerSizes, Tensors
                .Select(t => new Parameter(InitialValues.FilledLike(t, value).DetachFromDisposeScope()))
                .ToArray());
        }
    }

    /// <summary>One contiguous copy per task, [T, ...], outside any graph.</summary>
    public Tensor[] StackDetached(long tasks)
    {
        using (no_grad())
        {
            return Tensors.Select(t => t.detach().expand(Expand(t, tasks)).clone()).ToArray();
        }
    }

    /// <summary>Views of the parameters broadcast to T tasks, connected to the graph.</summary>
    public Tensor[] Broadcast(long tasks) => Tensors.Select(t => t.expand(Expand(t, tasks))).ToArray();

    public void Write(BinaryWriter writer)
    {
        writer.Write(Tensors.Length);
        foreach (var t in Tensors)
        {
            TensorIo.Write(writer, t);
        }
    }

    public void Read(BinaryReader reader)
    {
        var count = reader.ReadInt32();
        if (count != Tensors.Length)
        {
            throw new InvalidDataException($"Expected {Tensors.Length} parameter tensors, found {count}.");
        }
        using (no_grad())
        {
            foreach (var t in Tensors)
            {
                using var loaded = TensorIo.Read(reader, t.shape);
                t.copy_(loaded);
            }
        }
    }

    public void Dispose()
    {
        foreach (var t in Tensors)
        {
            t.Dispose();
        }
    }

    private static long[] Expand(Tensor t, long tasks) => [tasks, t.shape[1], t.shape[2]];
}
