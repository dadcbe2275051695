namespace MetaAnomaly.Forecasting.Learners.Metric.Matching;

/// <summary>Creates <c>matching</c>: matching networks without full-context embeddings.</summary>
public sealed class MatchingNetworksFactory : IMetaLearnerFactory
{
    public const string LearnerName = "matching";

    public string Name => LearnerName;

    public LearnerFamily Family => LearnerFamily.Metric;

    public IMetaLearner Create(LearnerSettings settings) => new MatchingNetworks(settings, new MatchingOptions());
}
