using MetaAnomaly.Forecasting.Learners;
using MetaAnomaly.Forecasting.Learners.Optimization;
using MetaAnomaly.Forecasting.Tests.Learners.Selection;

namespace MetaAnomaly.Forecasting.Tests.Learners.Optimization;

public sealed class LeoTests : LearnerContractTests
{
    protected override IMetaLearner CreateLearner(LearnerSettings settings) => new LeoFactory().Create(settings);

    [Fact]
    public void MaskedSupportPairsGiveNoEvidence()
    {
        using var learner = CreateLearner(Settings());
        MetaTrain(learner, 2);
        using var tasks = SyntheticTaskFamilies.Sines(tasks: 2, support: 16, query: 8, Lags, seed: 82);
        var clean = Forecasts(learner, tasks);

        tasks.Support.Mask[.., 3] = TorchSharp.torch.tensor(0f);
        tasks.Support.Targets[.., 3] = TorchSharp.torch.tensor(1e3f);
        var masked = Forecasts(learner, tasks);
        tasks.Support.Targets[.., 3] = TorchSharp.torch.tensor(-1e3f);
        var maskedAgain = Forecasts(learner, tasks);

        Assert.Equal(masked, maskedAgain);
        Assert.NotEqual(clean, masked);
    }
}
