namespace MetaAnomaly.Forecasting.Learners.Model.Mann;

public sealed class MannFactory : IMetaLearnerFactory
{
    public string Name => MannLearner.LearnerName;

    public LearnerFamily Family => LearnerFamily.Model;

    public IMetaLearner Create(LearnerSettings settings) => new MannLearner(settings);
}
