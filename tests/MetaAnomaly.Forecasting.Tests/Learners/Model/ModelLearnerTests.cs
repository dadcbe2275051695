using MetaAnomaly.Forecasting.Learners;
using static TorchSharp.torch;

namespace MetaAnomaly.Forecasting.Tests.Learners.Model;

/// <summary>
/// What the model learners (MANN, Meta Networks, SNAIL) share beyond the learner contract: gaps and padding read as a
/// shorter support, queries read out alone, and a meta-trained reading that beats the support mean.
/// </summary>
public sealed class ModelLearnerTests
{
    private const double Tolerance = 1e-5;

    [Theory]
    [MemberData(nameof(ModelLearnerCases.Names), MemberType = typeof(ModelLearnerCases))]
    public void PredictsOneValuePerQueryUnderVariableSupportLengths(string name)
    {
        using var scope = NewDisposeScope();
        using var learner = ModelLearnerCases.Create(name);
        using var batch = new SineEpisodes(1).Next(tasks: 3, support: 10, query: 4);
        var mask = ones([3, 10]);
        mask[1, ..4] = tensor(0f);
        mask[2, 3] = tensor(0f);
        mask[2, 7] = tensor(0f);
        var inputs = batch.Support.Inputs.clone();
        inputs[2, 3] = tensor(float.NaN);
        var targets = batch.Support.Targets.clone();
        targets[2, 7] = tensor(float.NaN);

        using var adapted = learner.Adapt(new TaskSet(inputs, targets, mask));
        var predictions = adapted.Predict(batch.Query.Inputs);

        Assert.Equal(3, adapted.TaskCount);
        Assert.Equal(new long[] { 3, 4 }, predictions.shape);
        Assert.All(ModelLearnerCases.Values(predictions), v => Assert.True(float.IsFinite(v)));
    }

    [Theory]
    [MemberData(nameof(ModelLearnerCases.Names), MemberType = typeof(ModelLearnerCases))]
    public void AdaptsAnEmptyBatchOfSeries(string name)
    {
        using var scope = NewDisposeScope();
        using var learner = ModelLearnerCases.Create(name);

        using var adapted = learner.Adapt(new TaskSet(zeros(0, 8, SineEpisodes.Lags), zeros(0, 8), zeros(0, 8)));

        Assert.Equal(0, adapted.TaskCount);
        Assert.Equal(new long[] { 0, 3 }, adapted.Predict(zeros(0, 3, SineEpisodes.Lags)).shape);
    }

    [Theory]
    [MemberData(nameof(ModelLearnerCases.Names), MemberType = typeof(ModelLearnerCases))]
    public void MaskedSupportPairsAreTheSameAsAShorterSupport(string name)
    {
        using var scope = NewDisposeScope();
        using var learner = ModelLearnerCases.Create(name);
        using var batch = new SineEpisodes(2).Next(tasks: 2, support: 9, query: 3);
        int[] kept = [0, 1, 3, 4, 5, 8];
        var mask = zeros([2, 9]);
        mask[0] = tensor(1f);
        foreach (var k in kept)
        {
            mask[1, k] = tensor(1f);
        }
        var inputs = batch.Support.Inputs.clone();
        inputs[1, 2] = tensor(float.NaN);
        inputs[1, 6] = tensor(1e6f);
        var targets = batch.Support.Targets.clone();
        targets[1, 7] = tensor(float.NaN);
        using var withGaps = learner.Adapt(new TaskSet(inputs, targets, mask));

        var index = tensor(kept.Select(k => (long)k).ToArray());
        var shorter = new TaskSet(
            batch.Support.Inputs[1..2].index_select(1, index),
            batch.Support.Targets[1..2].index_select(1, index),
            ones([1, kept.Length]));
        using var alone = learner.Adapt(shorter);

        var expected = ModelLearnerCases.Values(alone.Predict(batch.Query.Inputs[1..2]));
        var actual = ModelLearnerCases.Values(withGaps.Predict(batch.Query.Inputs)[1]);
        AssertClose(expected, actual);
    }

    [Theory]
    [MemberData(nameof(ModelLearnerCases.Names), MemberType = typeof(ModelLearnerCases))]
    public void QueriesNeverLeakIntoTheSupportOrIntoEachOther(string name)
    {
        using var scope = NewDisposeScope();
        using var learner = ModelLearnerCases.Create(name);
        using var batch = new SineEpisodes(3).Next(tasks: 2, support: 8, query: 5);
        using var adapted = learner.Adapt(batch.Support);
        var together = ModelLearnerCases.Values(adapted.Predict(batch.Query.Inputs));

        var changed = batch.Query.Inputs.clone();
        changed[.., 1..] = randn([2, 4, SineEpisodes.Lags]) * 10;
        var firstWithOthersChanged = ModelLearnerCases.Values(adapted.Predict(changed)[.., 0]);
        var oneAtATime = Enumerable.Range(0, 5)
            .Select(q => ModelLearnerCases.Values(adapted.Predict(batch.Query.Inputs[.., q..(q + 1)])))
            .ToList();

        AssertClose([together[0], together[5]], firstWithOthersChanged);
        for (var q = 0; q < 5; q++)
        {
            AssertClose([together[q], together[5 + q]], oneAtATime[q]);
        }
    }

    [Theory]
    [MemberData(nameof(ModelLearnerCases.Names), MemberType = typeof(ModelLearnerCases))]
    public void SlicesOfSupportsOfDifferentLengthsRestackTogether(string name)
    {
        using var scope = NewDisposeScope();
        using var learner = ModelLearnerCases.Create(name);
        var episodes = new SineEpisodes(5);
        using var longer = episodes.Next(tasks: 2, support: 10, query: 3);
        using var shorter = episodes.Next(tasks: 1, support: 6, query: 3);
        using var longerAdapted = learner.Adapt(longer.Support);
        using var shorterAdapted = learner.Adapt(shorter.Support);

        var states = new[] { longerAdapted.Slice(1), shorterAdapted.Slice(0), longerAdapted.Slice(0) };
        using var restacked = learner.Restack(states);
        var queries = cat([longer.Query.Inputs[1..2], shorter.Query.Inputs, longer.Query.Inputs[..1]], 0);
        var actual = ModelLearnerCases.Values(restacked.Predict(queries));

        var expected = ModelLearnerCases.Values(longerAdapted.Predict(longer.Query.Inputs)[1])
            .Concat(ModelLearnerCases.Values(shorterAdapted.Predict(shorter.Query.Inputs)[0]))
            .Concat(ModelLearnerCases.Values(longerAdapted.Predict(longer.Query.Inputs)[0]))
            .ToArray();
        Assert.All(states, s => Assert.Equal(name, s.Learner));
        AssertClose(expected, actual);
    }

    [Theory]
    [MemberData(nameof(ModelLearnerCases.Names), MemberType = typeof(ModelLearnerCases))]
    public void FitsASineFamilyBetterThanTheSupportMean(string name)
    {
        using var scope = NewDisposeScope();
        using var learner = ModelLearnerCases.Create(name, metaLearningRate: 0.01);
        var episodes = new SineEpisodes(6);
        for (var step = 0; step < 40; step++)
        {
            using var stepScope = NewDisposeScope();
            using var training = episodes.Next(tasks: 8, support: 8, query: 4);
            learner.MetaTrainStep(training);
        }

        using var test = new SineEpisodes(99).Next(tasks: 64, support: 8, query: 4);
        using var adapted = learner.Adapt(test.Support);
        var learnerError = (adapted.Predict(test.Query.Inputs) - test.Query.Targets).square().mean().item<float>();
        var meanError = (test.Support.Targets.mean([1], keepdim: true) - test.Query.Targets).square().mean().item<float>();

        Assert.True(learnerError < 0.5 * meanError, $"{name}: query MSE {learnerError:F4}, support mean {meanError:F4}");
    }

    private static void AssertClose(IReadOnlyList<float> expected, IReadOnlyList<float> actual, double tolerance = Tolerance)
    {
        Assert.Equal(expected.Count, actual.Count);
        for (var i = 0; i < expected.Count; i++)
        {
            Assert.True(Math.Abs(expected[i] - actual[i]) <= tolerance, $"at {i}: expected {expected[i]}, got {actual[i]}");
        }
    }
}
