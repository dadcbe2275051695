namespace MetaAnomaly.Forecasting.Learners.Metric.Prototypical;

/// <summary>Creates <c>prototypical</c>.</summary>
public sealed class PrototypicalNetworksFactory : IMetaLearnerFactory
{
    public const string LearnerName = "prototypical";

    public string Name => LearnerName;

    public LearnerFamily Family => LearnerFamily.Metric;

    public IMetaLearner Create(LearnerSettings settings) => new PrototypicalNetworks(settings);
}
