using MetaAnomaly.Forecasting.Learners;
using MetaAnomaly.Forecasting.Learners.Optimization;
using static TorchSharp.torch;

namespace MetaAnomaly.Forecasting.Tests.Learners.Optimization;

public sealed class MetaSgdTests
{
    private static readonly MetaLearnerRegistry Registry = MetaLearnerRegistry.CreateDefault();

    [Fact]
    public void UntrainedRatesAreTheAdaptationLearningRateSoItAdaptsAsMamlDoes()
    {
        using var scope = NewDisposeScope();
        var settings = SyntheticTasks.Settings(steps: 4) with { ZeroOutputLayer = false };
        using var metaSgd = Create(settings);
        using var maml = Registry.Create(MamlFactory.LearnerName, settings);
        using var episode = SyntheticTasks.Episode(tasks: 5, seed: 31);

        using var bySgd = metaSgd.Adapt(episode.Batch.Support);
        using var byMaml = maml.Adapt(episode.Batch.Support);

        for (var s = 0; s < settings.AdaptationSteps; s++)
        {
            Assert.True(metaSgd.Rate(s, 0).allclose(full_like(metaSgd.Rate(s, 0), settings.AdaptationLearningRate), rtol: 1e-5), $"step {s}");
        }
        var inputs = episode.Batch.Query.Inputs;
        Assert.True(bySgd.Predict(inputs).allclose(byMaml.Predict(inputs), rtol: 1e-4, atol: 1e-5));
    }

    [Fact]
    public void LearnedRatesStayWithinTheirBoundHoweverHardTheOuterLoopPushes()
    {
        using var scope = NewDisposeScope();
        var settings = SyntheticTasks.Settings(steps: 3) with { MetaLearningRate = 5 };
        using var learner = Trained(settings, outerSteps: 20, seed: 200);

        var largest = Enumerable.Range(0, settings.AdaptationSteps)
            .SelectMany(s => Enumerable.Range(0, learner.Initialisation.Tensors.Length).Select(i => learner.Rate(s, i).abs().max().item<float>()))
            .Max();
        Assert.True(largest > 0.9 * learner.RateBound, $"precondition: the outer loop pushed a rate near the bound (largest {largest}, bound {learner.RateBound})");
        Assert.True(largest <= learner.RateBound, $"largest rate {largest} beyond the bound {learner.RateBound}");
    }

    [Fact]
    public void EachInnerStepLearnsItsOwnRates()
    {
        using var scope = NewDisposeScope();
        using var learner = Trained(SyntheticTasks.Settings(steps: 3), outerSteps: 10, seed: 300);

        Assert.False(learner.Rate(0, 0).allclose(learner.Rate(2, 0)), "the first and last steps' rates are the same");
    }

    [Fact]
    public void AStateTrainedForFewerStepsRepeatsItsLastStepsRatesAndOneTrainedForMoreUsesItsFirst()
    {
        using var scope = NewDisposeScope();
        using var trained = Trained(SyntheticTasks.Settings(steps: 2), outerSteps: 5, seed: 400);
        var state = new MemoryStream();
        trained.Save(state);
        using var longer = Create(SyntheticTasks.Settings(steps: 4));
        using var shorter = Create(SyntheticTasks.Settings(steps: 1));

        longer.Load(new MemoryStream(state.ToArray()));
        shorter.Load(new MemoryStream(state.ToArray()));

        for (var i = 0; i < trained.Initialisation.Tensors.Length; i++)
        {
            Assert.True(longer.Rate(0, i).eq(trained.Rate(0, i)).all().item<bool>(), $"tensor {i}, step 0");
            Assert.True(longer.Rate(3, i).eq(trained.Rate(1, i)).all().item<bool>(), $"tensor {i}, step 3");
            Assert.True(shorter.Rate(0, i).eq(trained.Rate(0, i)).all().item<bool>(), $"tensor {i}, one step");
        }
        Assert.False(trained.Rate(0, 0).eq(trained.Rate(1, 0)).all().item<bool>(), "precondition: the two steps learned different rates");
    }

    private static MetaSgd Create(LearnerSettings settings) => (MetaSgd)Registry.Create(MetaSgdFactory.LearnerName, settings);

    private static MetaSgd Trained(LearnerSettings settings, int outerSteps, int seed)
    {
        var learner = Create(settings);
        for (var s = 0; s < outerSteps; s++)
        {
            using var episode = SyntheticTasks.Episode(tasks: 8, seed: seed + s);
            learner.MetaTrainStep(episode.Batch);
        }
        return learner;
    }
}
