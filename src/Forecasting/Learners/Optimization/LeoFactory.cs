namespace MetaAnomaly.Forecasting.Learners.Optimization;

/// <summary>Creates <c>leo</c>: latent embedding optimization.</summary>
public sealed class LeoFactory : IMetaLearnerFactory
{
    public const string LearnerName = "leo";

    public string Name => LearnerName;

    public LearnerFamily Family => LearnerFamily.Optimization;

    public IMetaLearner Create(LearnerSettings settings) => new Leo(settings);
}
