using MetaAnomaly.Forecasting.Learners;
using MetaAnomaly.Forecasting.Learners.Optimization;
using MetaAnomaly.Forecasting.Tests.Learners.Selection;

namespace MetaAnomaly.Forecasting.Tests.Learners.Optimization;

public sealed class LstmMetaLearnerTests : LearnerContractTests
{
    protected override IMetaLearner CreateLearner(LearnerSettings settings) => new LstmMetaLearnerFactory().Create(settings);

    [Fact]
    public void UntrainedGatesStepDownhillLikeSgd()
    {
        using var learner = CreateLearner(Settings());
        using var initialisation = CreateLearner(Settings(adaptationSteps: 0));
        CopyMetaState(learner, initialisation);
        using var tasks = SyntheticTasks.Episode(tasks: 4, seed: 3);

        var before = SupportLoss(initialisation, tasks.Batch.Support);
        var after = SupportLoss(learner, tasks.Batch.Support);

        Assert.True(after < before, $"support loss {before:G4} at the initialisation, {after:G4} after five untrained steps");
    }
}
