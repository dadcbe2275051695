using TorchSharp;
using static TorchSharp.torch.nn;

namespace MetaAnomaly.Forecasting.Learners.Metric.Relation;

/// <summary>The trainable parts of <see cref="RelationNetworks"/>: the encoder and the relation module.</summary>
internal sealed class RelationModules : Module, IMetricNetwork
{
    private readonly WindowEncoder encoder;
    private readonly RelationModule relation;

    public RelationModules(LearnerSettings settings) : base(nameof(RelationModules))
    {
        encoder = new WindowEncoder(settings.InputSize, settings.HiddenSizes);
        relation = new RelationModule(encoder.EmbeddingSize, encoder.EmbeddingSize);
        RegisterComponents();
    }

    public WindowEncoder Encoder => encoder;

    public RelationModule Relation => relation;
}
