namespace MetaAnomaly.Forecasting.Learners.Metric.Relation;

/// <summary>Creates <c>relation</c>.</summary>
public sealed class RelationNetworksFactory : IMetaLearnerFactory
{
    public const string LearnerName = "relation";

    public string Name => LearnerName;

    public LearnerFamily Family => LearnerFamily.Metric;

    public IMetaLearner Create(LearnerSettings settings) => new RelationNetworks(settings);
}
