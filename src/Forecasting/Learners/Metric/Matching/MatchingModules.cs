using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace MetaAnomaly.Forecasting.Learners.Metric.Matching;

/// <summary>The trainable parts of <see cref="MatchingNetworks"/>.</summary>
internal sealed class MatchingModules : Module, IMetricNetwork
{
    private readonly WindowEncoder encoder;
    private readonly Parameter log_inverse_temperature;
    private readonly FullContextEmbedding? context;

    public MatchingModules(LearnerSettings settings, MatchingOptions options) : base(nameof(MatchingModules))
    {
        encoder = new WindowEncoder(settings.InputSize, settings.HiddenSizes);
        log_inverse_temperature = Parameter(tensor(MathF.Log(10f)));
        context = options.FullContextEmbeddings ? new FullContextEmbedding(encoder.EmbeddingSize) : null;
        RegisterComponents();
    }

    public WindowEncoder Encoder => encoder;

    public Tensor LogInverseTemperature => log_inverse_temperature;

    public FullContextEmbedding? Context => context;
}
