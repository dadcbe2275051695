using MetaAnomaly.Forecasting.Learners;
using MetaAnomaly.Forecasting.Learners.Optimization;
using static MetaAnomaly.Forecasting.Tests.Learners.LearnerRuns;

namespace MetaAnomaly.Forecasting.Tests.Learners.Optimization;

public sealed class LstmMetaLearnerTests
{
    private static IMetaLearner CreateLearner(LearnerSettings settings) => new LstmMetaLearnerFactory().Create(settings);

    private static LearnerSettings Settings(int adaptationSteps = 5) => SyntheticTasks.Settings(steps: adaptationSteps);

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
