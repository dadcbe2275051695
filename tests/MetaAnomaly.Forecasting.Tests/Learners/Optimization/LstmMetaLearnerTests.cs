using MetaAnomaly.Forecasting.Learners;
using MetaAnomaly.Forecasting.Learners.Optimization;
using MetaAnomaly.Forecasting.Tests.Learners.Selection;

namespace MetaAnomaly.Forecasting.Tests.Learners.Optimization;

public sealed class LstmMetaLearnerTests : Selection.LearnerContractTests
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

    [Fact]
    public void ChunkedAdaptationEqualsOneBatch()
    {
        using var learner = CreateLearner(Settings());
        using var tasks = SyntheticTasks.Episode(tasks: 5, seed: 4);
        var support = tasks.Batch.Support;
        using var whole = learner.Adapt(support);
        using var expected = whole.Predict(support.Inputs);

        using var chunked = TaskChunks.Map(support, tasksPerChunk: 2, chunk =>
        {
            using var adapted = learner.Adapt(chunk);
            return adapted.Predict(chunk.Inputs);
        });

        Assert.Equal(expected.shape, chunked.shape);
        Assert.True(chunked.allclose(expected, rtol: 1e-4, atol: 1e-6));
    }
}
