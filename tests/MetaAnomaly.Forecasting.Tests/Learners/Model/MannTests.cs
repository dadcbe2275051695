using MetaAnomaly.Forecasting.Learners;
using MetaAnomaly.Forecasting.Learners.Model;
using MetaAnomaly.Forecasting.Learners.Model.Mann;
using static TorchSharp.torch;

namespace MetaAnomaly.Forecasting.Tests.Learners.Model;

public sealed class MannTests
{
    [Fact]
    public void ClosedGateWritesOnlyTheLeastUsedSlot()
    {
        using var scope = NewDisposeScope();
        var usage = tensor(new[] { 0.5f, 0.1f, 0.9f, 0.3f, 0.7f, 0.2f }, [2, 3]);
        var previousRead = tensor(new[] { 0.2f, 0.3f, 0.5f, 0.6f, 0.2f, 0.2f }, [2, 3]);
        var memory = ones([2, 3, 2]);
        var key = tensor(new[] { 4f, 5f, 6f, 7f }, [2, 2]);

        var leastUsed = LeastRecentlyUsedAccess.LeastUsed(usage);
        var weights = LeastRecentlyUsedAccess.WriteWeights(zeros([2, 1]), previousRead, leastUsed);
        var written = LeastRecentlyUsedAccess.Write(memory, leastUsed, weights, key);

        Assert.Equal(new[] { 0f, 1f, 0f, 0f, 0f, 1f }, ModelLearnerCases.Values(weights));
        Assert.Equal(new[] { 1f, 1f, 4f, 5f, 1f, 1f, 1f, 1f, 1f, 1f, 6f, 7f }, ModelLearnerCases.Values(written));
    }

    [Fact]
    public void OpenGateRewritesWhereTheLastReadLooked()
    {
        using var scope = NewDisposeScope();
        var usage = tensor(new[] { 0.5f, 0.1f, 0.9f }, [1, 3]);
        var previousRead = tensor(new[] { 0.2f, 0.3f, 0.5f }, [1, 3]);

        var weights = LeastRecentlyUsedAccess.WriteWeights(
            full([1, 1], 0.75f), previousRead, LeastRecentlyUsedAccess.LeastUsed(usage));

        Assert.Equal(new[] { 0.15f, 0.475f, 0.375f }, ModelLearnerCases.Values(weights), new FloatTolerance(1e-6f));
    }

    [Fact]
    public void EveryStepWritesMostlyToTheSlotLeastUsedBeforeIt()
    {
        using var scope = NewDisposeScope();
        var network = NewNetwork(slots: 6);
        using var batch = new SineEpisodes(21).Next(tasks: 2, support: 14, query: 1);
        var state = network.Initial(2);
        var written = new HashSet<long>();
        for (var t = 0; t < 14; t++)
        {
            var step = network.Step(state, batch.Support.Inputs[.., t]);
            var leastUsed = state.Usage.argmin(-1);
            var gate = step.WriteGate.squeeze(-1);
            var expected = gate.unsqueeze(-1) * state.ReadWeights
                + (1 - gate.unsqueeze(-1)) * nn.functional.one_hot(leastUsed, 6).to_type(ScalarType.Float32);

            Assert.True((gate < 0.5).all().item<bool>(), "an untrained write gate starts mostly closed");
            Assert.Equal(ModelLearnerCases.Values(leastUsed.to_type(ScalarType.Float32)), ModelLearnerCases.Values(step.WriteWeights.argmax(-1).to_type(ScalarType.Float32)));
            Assert.True(step.WriteWeights.allclose(expected, atol: 1e-6));
            if (t < 6)
            {
                Assert.True(written.Add(leastUsed[0].item<long>()), $"step {t} wrote a slot already written while an unused one was left");
            }
            state = step.State;
        }
    }

    [Fact]
    public void ReadingTheSupportIsALeftFoldSoNoPairSeesLaterOnes()
    {
        using var scope = NewDisposeScope();
        var network = NewNetwork(slots: 8);
        using var batch = new SineEpisodes(22).Next(tasks: 2, support: 10, query: 1);
        var support = SupportSequence.Clean(batch.Support);
        var prefix = new SupportSequence(support.Inputs[.., ..6], support.Targets[.., ..6], support.Mask[.., ..6]);
        var suffix = new SupportSequence(support.Inputs[.., 6..], support.Targets[.., 6..], support.Mask[.., 6..]);
        var changedSuffix = suffix with { Targets = suffix.Targets + 3, Inputs = suffix.Inputs * -2 };

        var whole = network.Read(network.Initial(2), support);
        var afterPrefix = network.Read(network.Initial(2), prefix);
        var folded = network.Read(afterPrefix, suffix);
        var refolded = network.Read(afterPrefix, changedSuffix);

        foreach (var (expected, actual) in whole.Tensors.Zip(folded.Tensors))
        {
            Assert.True(expected.allclose(actual, atol: 1e-6));
        }
        Assert.False(whole.Memory.allclose(refolded.Memory, atol: 1e-3), "the later pairs must change the later state");
        Assert.True(afterPrefix.LastTarget.allclose(support.Targets[.., 5..6]), "the prefix's last target is carried one step late");
    }

    private static MannNetwork NewNetwork(int slots)
    {
        using var generator = new Generator(3);
        return new MannNetwork(new MannShape(SineEpisodes.Lags, 16, slots, 8, MannShape.Defaults.UsageDecay), generator);
    }
}
