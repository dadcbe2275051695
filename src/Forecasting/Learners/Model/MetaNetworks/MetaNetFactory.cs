namespace MetaAnomaly.Forecasting.Learners.Model.MetaNetworks;

/// <summary>Creates <c>metanet</c>: Meta Networks.</summary>
public sealed class MetaNetFactory : IMetaLearnerFactory
{
    public const string LearnerName = "metanet";

    public string Name => LearnerName;

    public LearnerFamily Family => LearnerFamily.Model;

    public IMetaLearner Create(LearnerSettings settings) => new MetaNet(settings);
}
