namespace MetaAnomaly.Forecasting.Learners.Model.Snail;

public sealed class SnailFactory : IMetaLearnerFactory
{
    public string Name => SnailLearner.LearnerName;

    public LearnerFamily Family => LearnerFamily.Model;

    public IMetaLearner Create(LearnerSettings settings) => new SnailLearner(settings);
}
