namespace MetaAnomaly.Forecasting.Learners.Optimization;

/// <summary>Creates <c>reptile</c>.</summary>
public sealed class ReptileFactory : IMetaLearnerFactory
{
    public const string LearnerName = "reptile";

    public string Name => LearnerName;

    public LearnerFamily Family => LearnerFamily.Optimization;

    public IMetaLearner Create(LearnerSettings settings) => new Reptile(Name, settings with { FirstOrder = true });
}
