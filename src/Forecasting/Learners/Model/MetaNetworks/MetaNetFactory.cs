namespace MetaAnomaly.Forecasting.Learners.Model.MetaNetworks;

public sealed class MetaNetFactory : IMetaLearnerFactory
{
    public string Name => MetaNetLearner.LearnerName;

    public LearnerFamily Family => LearnerFamily.Model;

    public IMetaLearner Create(LearnerSettings settings) => new MetaNetLearner(settings);
}
