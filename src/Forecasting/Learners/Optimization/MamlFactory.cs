namespace MetaAnomaly.Forecasting.Learners.Optimization;

/// <summary>Creates <c>maml</c>: second-order MAML.</summary>
public sealed class MamlFactory : IMetaLearnerFactory
{
    public const string LearnerName = "maml";

    public string Name => LearnerName;

    public LearnerFamily Family => LearnerFamily.Optimization;

    public IMetaLearner Create(LearnerSettings settings) => new Maml(Name, settings with { FirstOrder = false });
}
