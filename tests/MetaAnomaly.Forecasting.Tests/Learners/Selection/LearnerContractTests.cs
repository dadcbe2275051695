using MetaAnomaly.Forecasting.Learners;
using static TorchSharp.torch;

namespace MetaAnomaly.Forecasting.Tests.Learners.Selection;

/// <summary>
/// The behaviour every learner owes the product, checked on seeded sine tasks: adaptation helps on a held-out task,
/// a seeded run repeats, batching changes nothing, and save/load and slice/restack keep the predictions.
/// </summary>
public abstract class LearnerContractTests
{
    protected abstract IMetaLearner CreateLearner(LearnerSettings settings);

    protected virtual int MetaTrainingSteps => 12;

    protected static LearnerSettings Settings(int seed = 7, int adaptationSteps = 5, Device? device = null) =>
        SyntheticTasks.Settings(seed, adaptationSteps) with { Device = device ?? CPU };

    [Fact]
    public void AdaptLowersSupportLossOnHeldOutTask()
    {
        using var learner = CreateLearner(Settings());
        MetaTrain(learner, MetaTrainingSteps);
        using var unadapted = CreateLearner(Settings(adaptationSteps: 0));
        CopyMetaState(learner, unadapted);

        using var heldOut = SyntheticTasks.Episode(tasks: 6, seed: 9001);
        var before = SupportLoss(unadapted, heldOut.Batch.Support);
        var after = SupportLoss(learner, heldOut.Batch.Support);

        Assert.True(after < 0.9 * before, $"support loss {before:G4} without adaptation, {after:G4} after it");
    }

    [Fact]
    public void SeededRunRepeats()
    {
        using var first = CreateLearner(Settings(seed: 11));
        using var second = CreateLearner(Settings(seed: 11));

        var firstLosses = MetaTrain(first, 3);
        var secondLosses = MetaTrain(second, 3);

        Assert.Equal(firstLosses, secondLosses);
        using var tasks = SyntheticTasks.Episode(tasks: 3, seed: 77);
        Assert.Equal(Forecasts(first, tasks.Batch), Forecasts(second, tasks.Batch));
    }

    [Fact]
    public void BatchedAdaptEqualsPerTaskAdapt()
    {
        using var learner = CreateLearner(Settings());
        MetaTrain(learner, 3);
        using var tasks = SyntheticTasks.Episode(tasks: 4, seed: 78);

        var batched = Forecasts(learner, tasks.Batch);
        for (var task = 0; task < 4; task++)
        {
            var alone = Forecasts(learner, new EpisodeBatch(SyntheticTasks.Row(tasks.Batch.Support, task), SyntheticTasks.Row(tasks.Batch.Query, task)));
            for (var q = 0; q < alone.Length; q++)
            {
                Assert.Equal(batched[task * alone.Length + q], alone[q], 4);
            }
        }
    }

    [Fact]
    public void SaveAndLoadRestoreTheSamePredictions()
    {
        using var learner = CreateLearner(Settings(seed: 5));
        MetaTrain(learner, 3);
        using var restored = CreateLearner(Settings(seed: 6));
        using var tasks = SyntheticTasks.Episode(tasks: 3, seed: 79);
        Assert.NotEqual(Forecasts(learner, tasks.Batch), Forecasts(restored, tasks.Batch));

        CopyMetaState(learner, restored);

        Assert.Equal(Forecasts(learner, tasks.Batch), Forecasts(restored, tasks.Batch));
    }

    [Fact]
    public void SlicedStatesRestackToTheSamePredictions()
    {
        using var learner = CreateLearner(Settings());
        MetaTrain(learner, 3);
        using var tasks = SyntheticTasks.Episode(tasks: 3, seed: 80);
        using var adapted = learner.Adapt(tasks.Batch.Support);
        var states = Enumerable.Range(0, 3).Reverse().Select(adapted.Slice).ToList();

        using var restacked = learner.Restack(states);
        using var direct = adapted.Predict(tasks.Batch.Query.Inputs);
        using var reversed = restacked.Predict(tasks.Batch.Query.Inputs.flip(0));

        Assert.Equal(direct.data<float>().ToArray(), reversed.flip(0).data<float>().ToArray());
    }

    [Fact]
    public void LoadRejectsAnotherLearnersState()
    {
        using var learner = CreateLearner(Settings());
        using var wider = CreateLearner(Settings() with { HiddenSizes = [32, 16] });
        using var stream = new MemoryStream();
        learner.Save(stream);
        stream.Position = 0;

        Assert.Throws<InvalidDataException>(() => wider.Load(stream));
    }

    [SkippableFact]
    public void RunsOnCudaWithTheSameCode()
    {
        Skip.IfNot(cuda.is_available(), "No CUDA device here.");
        using var cpuLearner = CreateLearner(Settings());
        using var gpuLearner = CreateLearner(Settings(device: CUDA));
        using var tasks = SyntheticTasks.Episode(tasks: 3, seed: 81);
        using var gpuTasks = new EpisodeBatch(OnCuda(tasks.Batch.Support), OnCuda(tasks.Batch.Query));

        var cpu = Forecasts(cpuLearner, tasks.Batch);
        var gpu = Forecasts(gpuLearner, gpuTasks);
        var loss = gpuLearner.MetaTrainStep(gpuTasks);

        Assert.True(double.IsFinite(loss));
        for (var i = 0; i < cpu.Length; i++)
        {
            Assert.Equal(cpu[i], gpu[i], 3);
        }
    }

    private static TaskSet OnCuda(TaskSet set) => new(set.Inputs.to(CUDA), set.Targets.to(CUDA), set.Mask.to(CUDA));

    protected static double[] MetaTrain(IMetaLearner learner, int steps)
    {
        var losses = new double[steps];
        for (var step = 0; step < steps; step++)
        {
            using var batch = SyntheticTasks.Episode(tasks: 8, seed: 1000 + step);
            losses[step] = learner.MetaTrainStep(batch.Batch);
        }
        return losses;
    }

    protected static void CopyMetaState(IMetaLearner from, IMetaLearner to)
    {
        using var stream = new MemoryStream();
        from.Save(stream);
        stream.Position = 0;
        to.Load(stream);
    }

    protected static float[] Forecasts(IMetaLearner learner, EpisodeBatch tasks)
    {
        using var adapted = learner.Adapt(tasks.Support);
        using var forecasts = adapted.Predict(tasks.Query.Inputs);
        return forecasts.cpu().data<float>().ToArray();
    }

    protected static double SupportLoss(IMetaLearner learner, TaskSet support)
    {
        using var adapted = learner.Adapt(support);
        using var forecasts = adapted.Predict(support.Inputs);
        using var loss = (forecasts - support.Targets).square().mean();
        return loss.item<float>();
    }
}
