using MetaAnomaly.Forecasting.Learners.Optimization;
using static MetaAnomaly.Forecasting.Tests.Learners.LearnerRuns;

namespace MetaAnomaly.Forecasting.Tests.Learners.Optimization;

public sealed class LeoTests
{
    [Fact]
    public void MaskedSupportPairsGiveNoEvidence()
    {
        using var learner = new LeoFactory().Create(SyntheticTasks.Settings(steps: 5));
        MetaTrain(learner, 2);
        using var tasks = SyntheticTasks.Episode(tasks: 2, seed: 82);
        var clean = Forecasts(learner, tasks.Batch);

        tasks.Batch.Support.Mask[.., 3] = TorchSharp.torch.tensor(0f);
        tasks.Batch.Support.Targets[.., 3] = TorchSharp.torch.tensor(1e3f);
        var masked = Forecasts(learner, tasks.Batch);
        tasks.Batch.Support.Targets[.., 3] = TorchSharp.torch.tensor(-1e3f);
        var maskedAgain = Forecasts(learner, tasks.Batch);

        Assert.Equal(masked, maskedAgain);
        Assert.NotEqual(clean, masked);
    }
}
