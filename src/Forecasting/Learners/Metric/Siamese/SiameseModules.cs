using TorchSharp;
using static TorchSharp.torch.nn;

namespace MetaAnomaly.Forecasting.Learners.Metric.Siamese;

/// <summary>The trainable part of <see cref="SiameseNetworks"/>: the twin encoder alone (both branches share it).</summary>
internal sealed class SiameseModules : Module, IMetricNetwork
{
    private readonly WindowEncoder encoder;

    public SiameseModules(LearnerSettings settings) : base(nameof(SiameseModules))
    {
        encoder = new WindowEncoder(settings.InputSize, settings.HiddenSizes);
        RegisterComponents();
    }

    public WindowEncoder Encoder => encoder;
}
