using MetaAnomaly.Forecasting.Episodes;
using MetaAnomaly.Forecasting.Learners;
using MetaAnomaly.Forecasting.Learners.Metric.Matching;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace MetaAnomaly.Forecasting.Tests.Learners.Metric;

public sealed class MetricLearnerTests(ITestOutputHelper output)
{
    private const int Tasks = 6;
    private static readonly int InputSize = SyntheticTasks.Layout.InputSize;
    private const int FitSteps = 40;

    [Theory]
    [MemberData(nameof(MetricLearnerCases.Convex), MemberType = typeof(MetricLearnerCases))]
    public void PredictionIsConvexCombinationOfObservedSupportTargets(string name)
    {
        using var learner = Trained(name, steps: 3);
        using var scope = NewDisposeScope();
        using var episode = SyntheticTasks.Episode(Tasks, seed: 3);
        var batch = episode.Batch;

        using var adapted = learner.Adapt(batch.Support);
        var prediction = adapted.Predict(batch.Query.Inputs);
        var lowest = batch.Support.Targets.amin(1).unsqueeze(1);
        var highest = batch.Support.Targets.amax(1).unsqueeze(1);
        Assert.True(prediction.ge(lowest - 1e-5).all().item<bool>(), "a forecast fell below every support target");
        Assert.True(prediction.le(highest + 1e-5).all().item<bool>(), "a forecast rose above every support target");

        var levels = linspace(-2, 2, Tasks).unsqueeze(1);
        var constant = new TaskSet(batch.Support.Inputs, levels.expand_as(batch.Support.Targets), batch.Support.Mask);
        using var constantAdapted = learner.Adapt(constant);
        var constantPrediction = constantAdapted.Predict(batch.Query.Inputs);
        AssertClose(levels.expand_as(constantPrediction), constantPrediction, 1e-5);
    }

    [Theory]
    [MemberData(nameof(MetricLearnerCases.All), MemberType = typeof(MetricLearnerCases))]
    public void SupportPermutationLeavesPredictionUnchanged(string name)
    {
        using var learner = Trained(name, steps: 3);
        using var scope = NewDisposeScope();
        using var episode = SyntheticTasks.Episode(Tasks, seed: 4);
        var batch = episode.Batch;
        var order = tensor(Enumerable.Range(0, (int)batch.Support.PairCount).Reverse()
            .OrderBy(i => (i * 7919) % 13).Select(i => (long)i).ToArray());
        var permuted = new TaskSet(
            batch.Support.Inputs.index_select(1, order),
            batch.Support.Targets.index_select(1, order),
            batch.Support.Mask.index_select(1, order));

        AssertClose(Predict(learner, batch.Support, batch.Query.Inputs), Predict(learner, permuted, batch.Query.Inputs), 1e-5);
    }

    [Theory]
    [MemberData(nameof(MetricLearnerCases.All), MemberType = typeof(MetricLearnerCases))]
    public void MaskedSupportPairsCarryNoWeight(string name)
    {
        using var learner = Trained(name, steps: 3);
        using var scope = NewDisposeScope();
        using var episode = SyntheticTasks.Episode(Tasks, seed: 5);
        var batch = episode.Batch;
        var pairs = (int)batch.Support.PairCount;
        int[] hidden = [1, 6, 7, 10];
        var kept = tensor(Enumerable.Range(0, pairs).Except(hidden).Select(i => (long)i).ToArray());
        var hiddenIndex = tensor(hidden.Select(i => (long)i).ToArray());

        var junkInputs = batch.Support.Inputs.clone().index_fill_(1, hiddenIndex, double.NaN);
        var junkTargets = batch.Support.Targets.clone().index_fill_(1, hiddenIndex, 1e6);
        var mask = batch.Support.Mask.clone().index_fill_(1, hiddenIndex, 0);
        var masked = new TaskSet(junkInputs, junkTargets, mask);
        var removed = new TaskSet(
            batch.Support.Inputs.index_select(1, kept),
            batch.Support.Targets.index_select(1, kept),
            batch.Support.Mask.index_select(1, kept));

        var maskedPrediction = Predict(learner, masked, batch.Query.Inputs);
        Assert.False(maskedPrediction.isnan().any().item<bool>(), "a masked pair's NaN reached the forecast");
        AssertClose(Predict(learner, removed, batch.Query.Inputs), maskedPrediction, 1e-4);
    }

    [Theory]
    [MemberData(nameof(MetricLearnerCases.All), MemberType = typeof(MetricLearnerCases))]
    public void FitsSeasonalFamilyBetterThanSupportMean(string name)
    {
        var layout = SyntheticTasks.LevelLayout;
        using var untrained = Trained(name, steps: 0, layout: layout);
        using var learner = Trained(name, steps: FitSteps, layout: layout);
        using var scope = NewDisposeScope();
        using var episode = SyntheticTasks.Episode(32, seed: 1234, layout);
        var batch = episode.Batch;

        var learnerError = SquaredError(Predict(learner, batch.Support, batch.Query.Inputs), batch.Query.Targets);
        var untrainedError = SquaredError(Predict(untrained, batch.Support, batch.Query.Inputs), batch.Query.Targets);
        var meanForecast = batch.Support.Targets.mean([1], keepdim: true).expand_as(batch.Query.Targets);
        var meanError = SquaredError(meanForecast, batch.Query.Targets);
        output.WriteLine($"{name}: query MSE {learnerError:F4}, untrained {untrainedError:F4}, support mean {meanError:F4}");

        Assert.True(learnerError < 0.5 * meanError,
            $"{name}: query MSE {learnerError:F4} is not under half the support mean's {meanError:F4}");
        Assert.True(learnerError < untrainedError,
            $"{name}: meta-training did not help: query MSE {learnerError:F4}, untrained {untrainedError:F4}");
    }

    [Theory]
    [MemberData(nameof(MetricLearnerCases.Unregistered), MemberType = typeof(MetricLearnerCases))]
    public void SeededRunsRepeat(string name)
    {
        using var first = Trained(name, steps: 3, seed: 11);
        using var again = Trained(name, steps: 3, seed: 11);
        using var other = Trained(name, steps: 3, seed: 12);
        using var scope = NewDisposeScope();
        using var episode = SyntheticTasks.Episode(Tasks, seed: 6);
        var batch = episode.Batch;

        var expected = Values(Predict(first, batch.Support, batch.Query.Inputs));
        Assert.Equal(expected, Values(Predict(again, batch.Support, batch.Query.Inputs)));
        Assert.NotEqual(expected, Values(Predict(other, batch.Support, batch.Query.Inputs)));
    }

    [Theory]
    [MemberData(nameof(MetricLearnerCases.Unregistered), MemberType = typeof(MetricLearnerCases))]
    public void SaveAndLoadRestoreTheSamePredictions(string name)
    {
        using var saved = Trained(name, steps: 3, seed: 1);
        using var restored = MetricLearnerCases.Create(name, InputSize, seed: 2);
        using var scope = NewDisposeScope();
        using var episode = SyntheticTasks.Episode(Tasks, seed: 7);
        var batch = episode.Batch;
        var expected = Values(Predict(saved, batch.Support, batch.Query.Inputs));
        Assert.NotEqual(expected, Values(Predict(restored, batch.Support, batch.Query.Inputs)));

        using var stream = new MemoryStream();
        saved.Save(stream);
        stream.Position = 0;
        restored.Load(stream);

        Assert.Equal(expected, Values(Predict(restored, batch.Support, batch.Query.Inputs)));
    }

    [Theory]
    [MemberData(nameof(MetricLearnerCases.Unregistered), MemberType = typeof(MetricLearnerCases))]
    public void SlicedStatesRestackToTheSamePredictions(string name)
    {
        using var learner = Trained(name, steps: 2);
        using var scope = NewDisposeScope();
        using var episode = SyntheticTasks.Episode(Tasks, seed: 8);
        var batch = episode.Batch;
        using var adapted = learner.Adapt(batch.Support);
        var states = Enumerable.Range(0, adapted.TaskCount).Select(adapted.Slice).ToArray();

        using var restacked = learner.Restack(states);

        Assert.Equal(Values(adapted.Predict(batch.Query.Inputs)), Values(restacked.Predict(batch.Query.Inputs)));
    }

    [Theory]
    [MemberData(nameof(MetricLearnerCases.All), MemberType = typeof(MetricLearnerCases))]
    public void RestackPadsSeriesWithFewerSupportPairs(string name)
    {
        using var learner = Trained(name, steps: 2);
        using var scope = NewDisposeScope();
        using var episode = SyntheticTasks.Episode(2, seed: 12);
        var support = episode.Batch.Support;
        var shorter = new TaskSet(support.Inputs[.., ..8], support.Targets[.., ..8], support.Mask[.., ..8]);
        using var full = learner.Adapt(support);
        using var cut = learner.Adapt(shorter);

        using var restacked = learner.Restack([full.Slice(0), cut.Slice(1)]);

        var queries = episode.Batch.Query.Inputs;
        var expected = cat([full.Predict(queries)[..1], cut.Predict(queries)[1..]], 0);
        AssertClose(expected, restacked.Predict(queries), 1e-4);
    }

    [Theory]
    [MemberData(nameof(MetricLearnerCases.All), MemberType = typeof(MetricLearnerCases))]
    public void LoadRejectsAnotherLearnersState(string name)
    {
        var other = name == MetricLearnerCases.MatchingWithFullContext
            ? MatchingNetworksFactory.LearnerName
            : MetricLearnerCases.MatchingWithFullContext;
        using var learner = MetricLearnerCases.Create(name, InputSize);
        using var stranger = MetricLearnerCases.Create(other, InputSize);
        using var stream = new MemoryStream();
        stranger.Save(stream);
        stream.Position = 0;

        Assert.Throws<InvalidDataException>(() => learner.Load(stream));
    }

    [Theory]
    [MemberData(nameof(MetricLearnerCases.All), MemberType = typeof(MetricLearnerCases))]
    public void AdaptRejectsInputsOfAnotherWidth(string name)
    {
        using var learner = MetricLearnerCases.Create(name, InputSize + 1);
        using var scope = NewDisposeScope();
        using var episode = SyntheticTasks.Episode(Tasks, seed: 9);
        var batch = episode.Batch;

        var error = Assert.Throws<ArgumentException>(() => learner.Adapt(batch.Support));
        Assert.Contains($"[T, N, {InputSize + 1}]", error.Message);
    }

    [SkippableTheory]
    [MemberData(nameof(MetricLearnerCases.Unregistered), MemberType = typeof(MetricLearnerCases))]
    public void CudaPredictsWhatCpuPredicts(string name)
    {
        Skip.IfNot(cuda.is_available(), "no CUDA device");
        using var onCpu = Trained(name, steps: 3, seed: 21);
        using var onCuda = Trained(name, steps: 3, seed: 21, device: CUDA);
        using var scope = NewDisposeScope();
        using var episode = SyntheticTasks.Episode(Tasks, seed: 10);
        var batch = episode.Batch;
        using var onDevice = ToDevice(batch, CUDA);

        AssertClose(Predict(onCpu, batch.Support, batch.Query.Inputs),
            Predict(onCuda, onDevice.Support, onDevice.Query.Inputs).cpu(), 1e-3);
    }

    private static IMetaLearner Trained(string name, int steps, int seed = 7, Device? device = null, EpisodeLayout? layout = null)
    {
        layout ??= SyntheticTasks.Layout;
        var learner = MetricLearnerCases.Create(name, layout.InputSize, seed, device);
        for (var step = 0; step < steps; step++)
        {
            using var episode = SyntheticTasks.Episode(16, seed: 1000 * seed + step, layout);
            using var batch = device is null ? null : ToDevice(episode.Batch, device);
            learner.MetaTrainStep(batch ?? episode.Batch);
        }
        return learner;
    }

    private static EpisodeBatch ToDevice(EpisodeBatch batch, Device device) => new(
        new TaskSet(batch.Support.Inputs.to(device), batch.Support.Targets.to(device), batch.Support.Mask.to(device)),
        new TaskSet(batch.Query.Inputs.to(device), batch.Query.Targets.to(device), batch.Query.Mask.to(device)));

    private static Tensor Predict(IMetaLearner learner, TaskSet support, Tensor queryInputs)
    {
        using var adapted = learner.Adapt(support);
        return adapted.Predict(queryInputs);
    }

    private static double SquaredError(Tensor prediction, Tensor targets) =>
        (prediction - targets).square().mean().item<float>();

    private static float[] Values(Tensor values) => values.cpu().data<float>().ToArray();

    private static void AssertClose(Tensor expected, Tensor actual, double tolerance)
    {
        var gap = (expected - actual).abs().max().item<float>();
        Assert.True(gap <= tolerance, $"predictions differ by up to {gap:G3} (tolerance {tolerance:G3})");
    }
}
