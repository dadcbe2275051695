using MetaAnomaly.Forecasting.Learners;
using MetaAnomaly.Forecasting.Tests.Learners.Model;
using static TorchSharp.torch;

namespace MetaAnomaly.Forecasting.Tests.Learners;

/// <summary>The learner contract, checked for every learner the registry knows.</summary>
public sealed class LearnerContractTests
{
    private static readonly MetaLearnerRegistry Registry = MetaLearnerRegistry.CreateDefault();

    private static readonly IEqualityComparer<float> Tolerance = new FloatTolerance(1e-5f);

    public static TheoryData<string> Names => new(Registry.Names);

    [Theory]
    [MemberData(nameof(Names))]
    public void AdaptedBatchOutlivesTheDisposeScopeItWasAdaptedIn(string name)
    {
        using var scope = NewDisposeScope();
        using var learner = Registry.Create(name, SyntheticTasks.Settings());
        using var episode = SyntheticTasks.Episode(tasks: 3, seed: 21);
        var batch = episode.Batch;
        IAdaptedBatch adapted, restacked;
        float[] inScope;
        using (NewDisposeScope())
        {
            adapted = learner.Adapt(batch.Support);
            inScope = Values(adapted.Predict(batch.Query.Inputs));
            restacked = learner.Restack(Enumerable.Range(0, 3).Select(adapted.Slice).ToList());
        }

        using (adapted)
        using (restacked)
        {
            Assert.Equal(3, adapted.TaskCount);
            Assert.Equal(inScope, Values(adapted.Predict(batch.Query.Inputs)));
            Assert.Equal(3, restacked.TaskCount);
            Assert.Equal(inScope, Values(restacked.Predict(batch.Query.Inputs)), Tolerance);
        }
    }

    private static float[] Values(Tensor values) => values.cpu().data<float>().ToArray();
}
