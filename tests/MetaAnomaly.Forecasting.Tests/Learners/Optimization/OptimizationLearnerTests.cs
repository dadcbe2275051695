using MetaAnomaly.Forecasting.Engine;
using MetaAnomaly.Forecasting.Learners;
using MetaAnomaly.Forecasting.Learners.Optimization;
using static TorchSharp.torch;

namespace MetaAnomaly.Forecasting.Tests.Learners.Optimization;

public sealed class OptimizationLearnerTests
{
    public static TheoryData<string> Learners => new() { MamlFactory.LearnerName, FomamlFactory.LearnerName, ReptileFactory.LearnerName, MetaSgdFactory.LearnerName };

    private static readonly MetaLearnerRegistry Registry = MetaLearnerRegistry.CreateDefault();

    [Theory]
    [InlineData(MamlFactory.LearnerName, 0)]
    [InlineData(FomamlFactory.LearnerName, 0)]
    [InlineData(MetaSgdFactory.LearnerName, 0)]
    [InlineData(MamlFactory.LearnerName, 0.25)]
    [InlineData(MetaSgdFactory.LearnerName, 0.25)]
    public void MetaGradientsMatchPerTaskReference(string name, double heldOutShare)
    {
        using var scope = NewDisposeScope();
        using var learner = (GradientMetaLearner)Registry.Create(name, SyntheticTasks.Settings() with { HeldOutShare = heldOutShare });
        using var episode = SyntheticTasks.Episode(tasks: 4, seed: 13);
        var batched = learner.MetaGradients(episode.Batch);

        var reference = batched.Select(g => zeros_like(g)).ToArray();
        for (var t = 0; t < 4; t++)
        {
            using var single = new Forecasting.Learners.EpisodeBatch(SyntheticTasks.Row(episode.Batch.Support, t), SyntheticTasks.Row(episode.Batch.Query, t));
            var gradients = learner.MetaGradients(single);
            for (var i = 0; i < reference.Length; i++)
            {
                reference[i].add_(gradients[i] / 4);
            }
        }
        for (var i = 0; i < reference.Length; i++)
        {
            Assert.True(batched[i].allclose(reference[i], rtol: 1e-4, atol: 1e-6), $"gradient {i}: batched and per-task mean differ");
        }
    }

    [Theory]
    [MemberData(nameof(Learners))]
    public void WithAHeldOutTailEachSeriesKeepsTheInnerStepThatForecastItsTailBest(string name)
    {
        using var scope = NewDisposeScope();
        const int steps = 6;
        var settings = SyntheticTasks.Settings(steps: steps) with { HeldOutShare = 0.25, AdaptationLearningRate = 0.3, ZeroOutputLayer = false };
        using var episode = SyntheticTasks.Episode(tasks: 6, seed: 21);
        var support = episode.Batch.Support;
        var heldOut = HeldOutTail.Count(support.PairCount, settings.HeldOutShare);
        var fitted = support.Mask.clone();
        fitted.narrow(1, support.PairCount - heldOut, heldOut).zero_();
        var tail = support.Inputs.narrow(1, support.PairCount - heldOut, heldOut);
        var tailTargets = support.Targets.narrow(1, support.PairCount - heldOut, heldOut);
        // One learner per step count, each fitting the earlier pairs only for every step: their tail forecasts and losses.
        var byStep = Enumerable.Range(0, steps + 1).Select(s =>
        {
            using var fixedSteps = Registry.Create(name, settings with { HeldOutShare = 0, AdaptationSteps = s });
            using var adapted = fixedSteps.Adapt(support with { Mask = fitted });
            var forecast = adapted.Predict(tail);
            return (Forecast: forecast, Losses: (forecast - tailTargets).pow(2).mean([1L]).data<float>().ToArray());
        }).ToArray();
        using var learner = Registry.Create(name, settings);

        using var stopped = learner.Adapt(support);

        var forecasts = stopped.Predict(tail);
        var chosenSteps = new HashSet<int>();
        for (var t = 0; t < 6; t++)
        {
            var best = Enumerable.Range(0, steps + 1).MinBy(s => byStep[s].Losses[t]);
            chosenSteps.Add(best);
            Assert.True(forecasts[t].allclose(byStep[best].Forecast[t], rtol: 1e-4, atol: 1e-5), $"task {t}: not the forecast of step {best}");
        }
        Assert.True(chosenSteps.Count > 1, $"precondition: the series stop at different steps (all at {string.Join(", ", chosenSteps)})");
    }

    [Theory]
    [InlineData(MamlFactory.LearnerName)]
    [InlineData(FomamlFactory.LearnerName)]
    [InlineData(MetaSgdFactory.LearnerName)]
    public void MetaTrainingDifferentiatesThroughTheConfiguredInnerStepsThatServingRuns(string name)
    {
        using var scope = NewDisposeScope();
        using var episode = SyntheticTasks.Episode(tasks: 6, seed: 17);
        var batch = episode.Batch;
        (double Served, double MetaTrained) Losses(int steps)
        {
            using var learner = Registry.Create(name, SyntheticTasks.Settings(steps: steps) with { ZeroOutputLayer = false });
            using var adapted = learner.Adapt(batch.Support);
            var served = FunctionalMlp.TaskLosses(adapted.Predict(batch.Query.Inputs), batch.Query.Targets, batch.Query.Mask).mean().item<float>();
            return (served, learner.MetaTrainStep(batch));
        }

        var one = Losses(1);
        var eight = Losses(8);

        Assert.Equal(one.Served, one.MetaTrained, 1e-4 * one.Served);
        Assert.Equal(eight.Served, eight.MetaTrained, 1e-4 * eight.Served);
        Assert.True(eight.Served < 0.9 * one.Served, $"precondition: eight steps fit better than one ({eight.Served} vs {one.Served})");
    }

    [Fact]
    public void SecondOrderGradientsDifferFromFirstOrder()
    {
        using var scope = NewDisposeScope();
        using var maml = (GradientMetaLearner)Registry.Create(MamlFactory.LearnerName, SyntheticTasks.Settings());
        using var fomaml = (GradientMetaLearner)Registry.Create(FomamlFactory.LearnerName, SyntheticTasks.Settings());
        using var episode = SyntheticTasks.Episode(tasks: 4, seed: 14);
        var second = maml.MetaGradients(episode.Batch);
        var first = fomaml.MetaGradients(episode.Batch);

        var difference = second.Zip(first, (s, f) => (s - f).abs().max().item<float>()).Max();
        var size = second.Max(s => s.abs().max().item<float>());
        Assert.True(difference > 1e-3 * size, $"largest difference {difference} of gradients up to {size}");
    }

    [Fact]
    public void SecondOrderMatchesHandDerivedOneStepGradient()
    {
        // One inner step on a linear model (no hidden layer) has a closed form:
        // phi = w - a X_s^T r_s * 2/n_s, dL_q/dw = (I - 2a/n_s X_s^T X_s) * dL_q/dphi.
        using var scope = NewDisposeScope();
        var settings = new LearnerSettings(3, CPU, 5, [], AdaptationLearningRate: 0.1, AdaptationSteps: 1);
        using var maml = (GradientMetaLearner)Registry.Create(MamlFactory.LearnerName, settings);
        var xs = tensor(new float[] { 1, 0, 0.5f, 0, 1, -1, 1, 1, 0 }, [1, 3, 3]);
        var ys = tensor(new float[] { 1, 2, 0 }, [1, 3]);
        var xq = tensor(new float[] { 0.5f, 0.5f, 1, -1, 0, 1 }, [1, 2, 3]);
        var yq = tensor(new float[] { 1, -1 }, [1, 2]);
        using var batch = new Forecasting.Learners.EpisodeBatch(new(xs, ys, ones(1, 3)), new(xq, yq, ones(1, 2)));
        var gradients = maml.MetaGradients(batch);

        var w = maml.Initialisation.Tensors[0].detach()[0];
        var b = maml.Initialisation.Tensors[1].detach()[0];
        var x = xs[0];
        var r = x.matmul(w).squeeze(1) + b.squeeze() - ys[0];
        var phiW = w - 0.1 * (2.0 / 3) * x.t().matmul(r.unsqueeze(1));
        var phiB = b - 0.1 * (2.0 / 3) * r.sum();
        var rq = xq[0].matmul(phiW).squeeze(1) + phiB.squeeze() - yq[0];
        var dPhiW = (2.0 / 2) * xq[0].t().matmul(rq.unsqueeze(1));
        var dPhiB = (2.0 / 2) * rq.sum();
        var jacobianW = eye(3) - 0.1 * (2.0 / 3) * x.t().matmul(x);
        var xSum = x.sum([0L]).unsqueeze(1);
        var expectedW = jacobianW.matmul(dPhiW) - 0.1 * (2.0 / 3) * xSum * dPhiB;
        var expectedB = dPhiB - 0.1 * (2.0 / 3) * (xSum.t().matmul(dPhiW).squeeze() + 3 * dPhiB);

        Assert.True(gradients[0][0].allclose(expectedW, rtol: 1e-4, atol: 1e-6), $"{gradients[0][0].ToString(TorchSharp.TensorStringStyle.Julia)} vs {expectedW.ToString(TorchSharp.TensorStringStyle.Julia)}");
        Assert.True(gradients[1].flatten().allclose(expectedB.flatten(), rtol: 1e-4, atol: 1e-6), $"{gradients[1].ToString(TorchSharp.TensorStringStyle.Julia)} vs {expectedB.ToString(TorchSharp.TensorStringStyle.Julia)}");
    }

    [Theory]
    [MemberData(nameof(Learners))]
    public void MetaTrainingLowersQueryLoss(string name)
    {
        var (losses, _) = Train(name, steps: 60);
        Assert.True(losses.TakeLast(10).Average() < losses.Take(10).Average(), string.Join(", ", losses));
    }

    [Theory]
    [MemberData(nameof(Learners))]
    public void SavedStateLoadsIntoAFreshLearner(string name)
    {
        using var scope = NewDisposeScope();
        var (_, state) = Train(name, steps: 3);
        using var fresh = Registry.Create(name, SyntheticTasks.Settings(seed: 99));
        fresh.Load(new MemoryStream(state));
        var saved = new MemoryStream();
        fresh.Save(saved);
        Assert.Equal(state, saved.ToArray());
    }

    private static (double[] Losses, byte[] State) Train(string name, int steps = 4)
    {
        using var scope = NewDisposeScope();
        using var learner = Registry.Create(name, SyntheticTasks.Settings());
        var losses = new double[steps];
        for (var s = 0; s < steps; s++)
        {
            using var episode = SyntheticTasks.Episode(tasks: 8, seed: 100 + s);
            losses[s] = learner.MetaTrainStep(episode.Batch);
        }
        var state = new MemoryStream();
        learner.Save(state);
        return (losses, state.ToArray());
    }
}
