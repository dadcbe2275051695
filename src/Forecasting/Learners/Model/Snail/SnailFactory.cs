namespace MetaAnomaly.Forecasting.Learners.Model.Snail;

/// <summary>Creates <c>snail</c>.</summary>
public sealed class SnailFactory : IMetaLearnerFactory
{
    public const string LearnerName = "snail";

    public string Name => LearnerName;

    public LearnerFamily Family => LearnerFamily.Model;

    public IMetaLearner Create(LearnerSettings settings) => new Snail(settings);
}
