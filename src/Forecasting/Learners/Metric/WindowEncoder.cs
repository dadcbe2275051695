using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace MetaAnomaly.Forecasting.Learners.Metric;

/// <summary>
/// The learned window encoder the metric learners share: an MLP over the normalised lag window and phase features,
/// [..., D] to [..., E] with E the last hidden width. ReLU between layers, none after the last, so embeddings keep a
/// sign and cosine similarity stays informative.
/// </summary>
internal sealed class WindowEncoder : Module<Tensor, Tensor>
{
    private readonly ModuleList<Module<Tensor, Tensor>> layers = new();

    public WindowEncoder(int inputSize, IReadOnlyList<int> hiddenSizes) : base(nameof(WindowEncoder))
    {
        if (hiddenSizes.Count == 0)
        {
            throw new ArgumentException("The metric learners' encoder needs at least one hidden size.", nameof(hiddenSizes));
        }
        var width = inputSize;
        foreach (var hidden in hiddenSizes)
        {
            layers.Add(Linear(width, hidden));
            width = hidden;
        }
        EmbeddingSize = width;
        RegisterComponents();
    }

    public int EmbeddingSize { get; }

    public override Tensor forward(Tensor windows)
    {
        using var scope = NewDisposeScope();
        var hidden = layers[0].forward(windows);
        for (var i = 1; i < layers.Count; i++)
        {
            hidden = layers[i].forward(functional.relu(hidden));
        }
        return hidden.MoveToOuterDisposeScope();
    }
}
