namespace MetaAnomaly.Forecasting.Learners.Optimization;

/// <summary>Creates <see cref="LstmMetaLearner"/> instances under the name <c>lstm-meta</c>.</summary>
public sealed class LstmMetaLearnerFactory : IMetaLearnerFactory
{
    public string Name => LstmMetaLearner.LearnerName;

    public LearnerFamily Family => LearnerFamily.Optimization;

    public IMetaLearner Create(LearnerSettings settings) => new LstmMetaLearner(settings);
}
