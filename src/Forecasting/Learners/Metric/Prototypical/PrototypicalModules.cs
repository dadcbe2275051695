using TorchSharp;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace MetaAnomaly.Forecasting.Learners.Metric.Prototypical;

/// <summary>The trainable parts of <see cref="PrototypicalNetworks"/>: the encoder and the prototype-conditioned decoder.</summary>
internal sealed class PrototypicalModules : Module, IMetricNetwork
{
    private readonly WindowEncoder encoder;
    private readonly Module<Tensor, Tensor> decoder;

    public PrototypicalModules(LearnerSettings settings) : base(nameof(PrototypicalModules))
    {
        encoder = new WindowEncoder(settings.InputSize, settings.HiddenSizes);
        var width = encoder.EmbeddingSize;
        decoder = Sequential(Linear(3 * width, width), ReLU(), Linear(width, 1));
        RegisterComponents();
    }

    public WindowEncoder Encoder => encoder;

    /// <summary>[..., 3E] (query, prototype, difference) to [..., 1].</summary>
    public Module<Tensor, Tensor> Decoder => decoder;
}
