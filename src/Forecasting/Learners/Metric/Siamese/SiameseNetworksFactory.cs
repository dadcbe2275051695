namespace MetaAnomaly.Forecasting.Learners.Metric.Siamese;

/// <summary>Creates <c>siamese</c>.</summary>
public sealed class SiameseNetworksFactory : IMetaLearnerFactory
{
    public const string LearnerName = "siamese";

    public string Name => LearnerName;

    public LearnerFamily Family => LearnerFamily.Metric;

    public IMetaLearner Create(LearnerSettings settings) => new SiameseNetworks(settings, new SiameseOptions());
}
