using TorchSharp;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace MetaAnomaly.Forecasting.Learners.Metric.Prototypical;

/// <summary>
/// The trainable parts of <see cref="PrototypicalNetworks"/>: the window encoder f, the pair embedding φ that the
/// prototype averages, and the prototype-conditioned decoder h.
/// </summary>
internal sealed class PrototypicalModules : Module, IMetricNetwork
{
    private readonly WindowEncoder encoder;
    private readonly Module<Tensor, Tensor> pair_embedding;
    private readonly Module<Tensor, Tensor> decoder;

    public PrototypicalModules(LearnerSettings settings) : base(nameof(PrototypicalModules))
    {
        encoder = new WindowEncoder(settings.InputSize, settings.HiddenSizes);
        var width = encoder.EmbeddingSize;
        pair_embedding = Sequential(Linear(width + 1, width), ReLU());
        decoder = Sequential(Linear(2 * width, width), ReLU(), Linear(width, 1));
        RegisterComponents();
    }

    public WindowEncoder Encoder => encoder;

    /// <summary>φ: [..., E + 1] (window embedding, next value) to [..., E].</summary>
    public Module<Tensor, Tensor> PairEmbedding => pair_embedding;

    /// <summary>h: [..., 2E] (query embedding, prototype) to [..., 1].</summary>
    public Module<Tensor, Tensor> Decoder => decoder;
}
