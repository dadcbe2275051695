using MetaAnomaly.Forecasting.Episodes;
using MetaAnomaly.Forecasting.Learners;
using MetaAnomaly.Forecasting.Training;
using static MetaAnomaly.Forecasting.Tests.Learners.LearnerRuns;
using static TorchSharp.torch;

namespace MetaAnomaly.Forecasting.Tests.Learners;

/// <summary>
/// The learner contract, checked for every learner the registry knows (a learner registered later is covered by its
/// registration), on small seeded seasonal tasks with tiny networks and a few steps.
/// </summary>
/// <remarks>
/// What adapting means depends on the family. Optimization learners take inner gradient steps, so adapting must lower
/// the support loss below that of the meta-initialisation. Metric and model learners have no inner loop: adapting embeds
/// or reads the support in one forward pass, so a task's forecast must follow its own support and no other's. Whether
/// meta-training makes that reading better than the support mean is each family's own test.
/// </remarks>
public sealed class LearnerContractTests
{
    private const double Tolerance = 1e-4;
    private static readonly MetaLearnerRegistry Registry = MetaLearnerRegistry.CreateDefault();

    public static TheoryData<string> Names => new(Registry.Names);

    private static IMetaLearner Create(string name, int seed = 7, int adaptationSteps = 3, Device? device = null) =>
        Registry.Create(name, SyntheticTasks.Settings(seed, adaptationSteps) with { Device = device ?? CPU });

    [Theory]
    [MemberData(nameof(Names))]
    public void IsCreatedByItsRegisteredName(string name)
    {
        var factory = Registry.Factory(name);

        using var learner = Create(name);

        Assert.Equal(name, factory.Name);
        Assert.Equal(name, learner.Name);
        Assert.Equal(factory.Family, learner.Family);
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void AdaptingFitsTheSupport(string name)
    {
        using var scope = NewDisposeScope();
        using var learner = Create(name);
        MetaTrain(learner, 2);
        using var episode = SyntheticTasks.Episode(tasks: 4, seed: 9001);
        var support = episode.Batch.Support;

        if (learner.Family == LearnerFamily.Optimization)
        {
            using var initialisation = Create(name, adaptationSteps: 0);
            CopyMetaState(learner, initialisation);
            var before = SupportLoss(initialisation, support);
            var after = SupportLoss(learner, support);
            Assert.True(after < 0.9 * before, $"{name}: support loss {before:G4} at the initialisation, {after:G4} adapted");
            return;
        }
        var shifted = new TaskSet(support.Inputs, support.Targets.clone(), support.Mask);
        shifted.Targets[1] += 1f;
        using var adapted = learner.Adapt(support);
        using var adaptedToShifted = learner.Adapt(shifted);
        var forecasts = adapted.Predict(episode.Batch.Query.Inputs);
        var shiftedForecasts = adaptedToShifted.Predict(episode.Batch.Query.Inputs);

        var own = (shiftedForecasts[1] - forecasts[1]).abs().max().item<float>();
        var others = (cat([shiftedForecasts[..1], shiftedForecasts[2..]]) - cat([forecasts[..1], forecasts[2..]])).abs().max().item<float>();
        Assert.True(own > 1e-4, $"{name}: shifting a task's support moved its forecasts by {own:G3} at most");
        Assert.True(others <= 1e-5, $"{name}: shifting one task's support moved the others' forecasts by up to {others:G3}");
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void BatchedAdaptEqualsOneTaskAtATime(string name)
    {
        using var scope = NewDisposeScope();
        using var learner = Create(name);
        MetaTrain(learner, 2);
        using var episode = SyntheticTasks.Episode(tasks: 4, seed: 78);
        var batch = episode.Batch;

        var batched = Forecasts(learner, batch);
        for (var task = 0; task < 4; task++)
        {
            var alone = Forecasts(learner, new EpisodeBatch(SyntheticTasks.Row(batch.Support, task), SyntheticTasks.Row(batch.Query, task)));
            AssertClose(batched.AsSpan(task * alone.Length, alone.Length).ToArray(), alone, $"{name}, task {task}");
        }
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void SlicedStatesRestackToTheSamePredictions(string name)
    {
        using var scope = NewDisposeScope();
        using var learner = Create(name);
        MetaTrain(learner, 2);
        using var episode = SyntheticTasks.Episode(tasks: 3, seed: 80);
        var batch = episode.Batch;
        using var adapted = learner.Adapt(batch.Support);
        var states = Enumerable.Range(0, 3).Reverse().Select(adapted.Slice).ToList();

        using var restacked = learner.Restack(states);

        Assert.All(states, state => Assert.Equal(name, state.Learner));
        Assert.Equal(3, restacked.TaskCount);
        AssertClose(
            Values(adapted.Predict(batch.Query.Inputs)),
            Values(restacked.Predict(batch.Query.Inputs.flip(0)).flip(0)),
            name);
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void RestackRefusesAnotherLearnersState(string name)
    {
        using var learner = Create(name);
        var foreign = new AdaptedTaskState("another-learner", [new StateArray("weights", [1], [0f])]);

        Assert.ThrowsAny<ArgumentException>(() => learner.Restack([foreign]));
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void SaveAndLoadRestoreTheSamePredictions(string name)
    {
        using var scope = NewDisposeScope();
        using var trained = Create(name, seed: 5);
        MetaTrain(trained, 2);
        using var restored = Create(name, seed: 6);
        using var episode = SyntheticTasks.Episode(tasks: 3, seed: 79);
        var expected = Forecasts(trained, episode.Batch);
        Assert.NotEqual(expected, Forecasts(restored, episode.Batch));

        CopyMetaState(trained, restored);

        Assert.Equal(expected, Forecasts(restored, episode.Batch));
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void LoadRefusesAnotherLearnersMetaState(string name)
    {
        var otherName = Registry.Names.First(n => n != name);
        using var learner = Create(name);
        using var other = Create(otherName);
        using var stream = new MemoryStream();
        other.Save(stream);
        stream.Position = 0;

        var error = Assert.Throws<InvalidDataException>(() => learner.Load(stream));
        Assert.Contains(otherName, error.Message);
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void SeededRunsRepeatAndOtherSeedsDiffer(string name)
    {
        using var scope = NewDisposeScope();
        using var first = Create(name, seed: 11);
        using var again = Create(name, seed: 11);
        using var other = Create(name, seed: 12);
        using var episode = SyntheticTasks.Episode(tasks: 3, seed: 77);

        Assert.Equal(MetaTrain(first, 2), MetaTrain(again, 2));
        MetaTrain(other, 2);

        var expected = Forecasts(first, episode.Batch);
        Assert.Equal(expected, Forecasts(again, episode.Batch));
        Assert.NotEqual(expected, Forecasts(other, episode.Batch));
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void TrainsAndForecastsFinitelyOnCpuAcrossGaps(string name)
    {
        using var scope = NewDisposeScope();
        using var learner = Create(name);
        using var episode = EpisodeWithGaps(tasks: 4, seed: 83);
        var batch = episode.Batch;
        Assert.True(batch.Support.Mask.lt(1f).any().item<bool>(), "the episode should mask the gaps' pairs");

        var loss = learner.MetaTrainStep(batch);
        using var adapted = learner.Adapt(batch.Support);
        var forecasts = adapted.Predict(batch.Query.Inputs);

        Assert.True(double.IsFinite(loss), $"{name}: meta-training loss {loss}");
        Assert.Equal(batch.Query.Targets.shape, forecasts.shape);
        Assert.All(Values(forecasts), value => Assert.True(float.IsFinite(value), $"{name}: forecast {value}"));
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void MetaTrainingStopsWhenCancelled(string name)
    {
        using var scope = NewDisposeScope();
        using var learner = Create(name);
        var random = new Random(84);
        var series = Enumerable.Range(0, 4).Select(_ => SyntheticTasks.Seasonal(random, 120, SyntheticTasks.Layout.Period)).ToArray();
        var options = new MetaTrainingOptions(MaxSteps: 20, MetaBatchSize: 4, ValidationInterval: 1, Patience: 20);
        using var cancellation = new CancellationTokenSource();
        var reports = new List<MetaTrainingProgress>();
        var progress = new SynchronousProgress(report =>
        {
            reports.Add(report);
            cancellation.Cancel();
        });

        Assert.ThrowsAny<OperationCanceledException>(() =>
            new MetaTrainer().Train(learner, series, SyntheticTasks.Layout, options, progress, cancellation.Token));
        Assert.Equal(1, Assert.Single(reports).Step);
    }

    /// <summary>Serving adapts inside a dispose scope and predicts from the batch for the rest of the day.</summary>
    [Theory]
    [MemberData(nameof(Names))]
    public void AdaptedBatchOutlivesTheDisposeScopeItWasAdaptedIn(string name)
    {
        using var scope = NewDisposeScope();
        using var learner = Create(name);
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
            AssertClose(inScope, Values(restacked.Predict(batch.Query.Inputs)), name);
        }
    }

    [SkippableTheory]
    [MemberData(nameof(Names))]
    public void CudaPredictsWhatTheCpuPredicts(string name)
    {
        Skip.IfNot(cuda.is_available(), "No CUDA device here.");
        using var scope = NewDisposeScope();
        using var onCpu = Create(name);
        using var onCuda = Create(name, device: CUDA);
        using var episode = SyntheticTasks.Episode(tasks: 3, seed: 81);
        var batch = episode.Batch;
        using var onDevice = new EpisodeBatch(OnCuda(batch.Support), OnCuda(batch.Query));

        var cpuLoss = onCpu.MetaTrainStep(batch);
        var cudaLoss = onCuda.MetaTrainStep(onDevice);

        Assert.Equal(cpuLoss, cudaLoss, 3);
        AssertClose(Forecasts(onCpu, batch), Forecasts(onCuda, onDevice), name, 1e-3);
    }

    /// <summary>Seasonal tasks with a few missing points each, so some support and query pairs are masked.</summary>
    private static Episode EpisodeWithGaps(int tasks, int seed)
    {
        var layout = SyntheticTasks.Layout;
        var random = new Random(seed);
        var cuts = Enumerable.Range(0, tasks).Select(_ =>
        {
            var segment = SyntheticTasks.Seasonal(random, layout.TaskSpan + 5, layout.Period);
            foreach (var gap in new[] { layout.Reach + 2, layout.Reach + 7, layout.TaskSpan - 2 })
            {
                segment.Values[gap] = double.NaN;
            }
            return new TaskCut(segment, layout.Reach);
        }).ToArray();
        return EpisodeBuilder.Build(cuts, layout, CPU);
    }

    private static TaskSet OnCuda(TaskSet set) => new(set.Inputs.to(CUDA), set.Targets.to(CUDA), set.Mask.to(CUDA));

    private static void AssertClose(float[] expected, float[] actual, string what, double tolerance = Tolerance)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (var i = 0; i < expected.Length; i++)
        {
            Assert.True(Math.Abs(expected[i] - actual[i]) <= tolerance, $"{what}, at {i}: expected {expected[i]}, got {actual[i]}");
        }
    }

    private sealed class SynchronousProgress(Action<MetaTrainingProgress> report) : IProgress<MetaTrainingProgress>
    {
        public void Report(MetaTrainingProgress value) => report(value);
    }
}
