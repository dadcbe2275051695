namespace MetaAnomaly.Forecasting.Learners.Optimization;

/// <summary>Creates <c>fomaml</c>: first-order MAML.</summary>
public sealed class FomamlFactory : IMetaLearnerFactory
{
    public const string LearnerName = "fomaml";

    public string Name => LearnerName;

    public LearnerFamily Family => LearnerFamily.Optimization;

    public IMetaLearner Create(LearnerSettings settings) => new Maml(Name, settings with { FirstOrder = true });
}
