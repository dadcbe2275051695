namespace MetaAnomaly.Forecasting.Learners.Optimization;

/// <summary>Creates <see cref="Leo"/> instances under the name <c>leo</c>.</summary>
public sealed class LeoFactory : IMetaLearnerFactory
{
    public string Name => Leo.LearnerName;

    public LearnerFamily Family => LearnerFamily.Optimization;

    public IMetaLearner Create(LearnerSettings settings) => new Leo(settings);
}
