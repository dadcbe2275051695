namespace MetaAnomaly.Forecasting.Learners.Model.Mann;

/// <summary>Creates <c>mann</c>.</summary>
public sealed class MannFactory : IMetaLearnerFactory
{
    public const string LearnerName = "mann";

    public string Name => LearnerName;

    public LearnerFamily Family => LearnerFamily.Model;

    public IMetaLearner Create(LearnerSettings settings) => new Mann(settings);
}
