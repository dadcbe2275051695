namespace MetaAnomaly.Forecasting.Learners.Optimization;

/// <summary>Creates <c>meta-sgd</c>.</summary>
public sealed class MetaSgdFactory : IMetaLearnerFactory
{
    public const string LearnerName = "meta-sgd";

    public string Name => LearnerName;

    public LearnerFamily Family => LearnerFamily.Optimization;

    public IMetaLearner Create(LearnerSettings settings) => new MetaSgd(Name, settings);
}
