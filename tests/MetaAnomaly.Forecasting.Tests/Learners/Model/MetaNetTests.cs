using static TorchSharp.torch;

namespace MetaAnomaly.Forecasting.Tests.Learners.Model;

public sealed class MetaNetTests
{
    [Fact]
    public void SupportOrderDoesNotMatter()
    {
        using var scope = NewDisposeScope();
        using var learner = ModelLearnerCases.Create("metanet");
        using var batch = new SineEpisodes(41).Next(tasks: 2, support: 8, query: 3);
        var order = tensor(new long[] { 5, 2, 7, 0, 3, 1, 6, 4 });
        var shuffled = new MetaAnomaly.Forecasting.Learners.TaskSet(
            batch.Support.Inputs.index_select(1, order),
            batch.Support.Targets.index_select(1, order),
            batch.Support.Mask.index_select(1, order));

        using var inOrder = learner.Adapt(batch.Support);
        using var outOfOrder = learner.Adapt(shuffled);

        Assert.True(inOrder.Predict(batch.Query.Inputs).allclose(outOfOrder.Predict(batch.Query.Inputs), atol: 1e-5));
    }

    [Fact]
    public void TheSupportChangesTheForecastThroughItsFastWeights()
    {
        using var scope = NewDisposeScope();
        using var learner = ModelLearnerCases.Create("metanet");
        using var batch = new SineEpisodes(42).Next(tasks: 2, support: 8, query: 3);
        var shiftedTargets = new MetaAnomaly.Forecasting.Learners.TaskSet(
            batch.Support.Inputs, batch.Support.Targets + 2, batch.Support.Mask);

        using var adapted = learner.Adapt(batch.Support);
        using var adaptedToShifted = learner.Adapt(shiftedTargets);

        Assert.False(adapted.Predict(batch.Query.Inputs).allclose(adaptedToShifted.Predict(batch.Query.Inputs), atol: 1e-3));
    }
}
