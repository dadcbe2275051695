namespace MetaAnomaly.Forecasting.Learners.Optimization;

/// <summary>Creates <c>lstm-meta</c>: the meta-learner LSTM.</summary>
public sealed class LstmMetaLearnerFactory : IMetaLearnerFactory
{
    public const string LearnerName = "lstm-meta";

    public string Name => LearnerName;

    public LearnerFamily Family => LearnerFamily.Optimization;

    public IMetaLearner Create(LearnerSettings settings) => new LstmMetaLearner(settings);
}
