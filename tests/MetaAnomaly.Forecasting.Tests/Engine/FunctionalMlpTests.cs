using MetaAnomaly.Forecasting.Engine;
using static TorchSharp.torch;

namespace MetaAnomaly.Forecasting.Tests.Engine;

public sealed class FunctionalMlpTests
{
    [Fact]
    public void BackpropagationMatchesAutograd()
    {
        using var scope = NewDisposeScope();
        using var episode = SyntheticTasks.Episode(tasks: 5, seed: 1);
        using var parameters = MlpParameters.Create(SyntheticTasks.Layout.InputSize, [16, 16], CPU, seed: 3, zeroOutputLayer: false);
        var support = episode.Batch.Support;
        var weights = parameters.StackDetached(support.TaskCount).Select(w => w.requires_grad_(true)).ToArray();

        var (manual, losses, predictions) = FunctionalMlp.Backpropagate(support.Inputs, support.Targets, support.Mask, weights);
        var loss = FunctionalMlp.TaskLosses(FunctionalMlp.Forward(support.Inputs, weights), support.Targets, support.Mask);
        var automatic = autograd.grad([loss.sum()], weights);

        Assert.True(losses.allclose(loss, rtol: 1e-5, atol: 1e-6));
        Assert.True(predictions.allclose(FunctionalMlp.Forward(support.Inputs, weights), rtol: 1e-5, atol: 1e-6));
        for (var i = 0; i < weights.Length; i++)
        {
            Assert.True(manual[i].allclose(automatic[i], rtol: 1e-4, atol: 1e-6), $"gradient {i} differs");
        }
    }

    [Fact]
    public void BatchedForwardEqualsOneTaskAtATime()
    {
        using var scope = NewDisposeScope();
        using var episode = SyntheticTasks.Episode(tasks: 4, seed: 2);
        using var parameters = MlpParameters.Create(SyntheticTasks.Layout.InputSize, [16, 16], CPU, seed: 3, zeroOutputLayer: false);
        var weights = parameters.StackDetached(4);
        for (var i = 0; i < weights.Length; i++)
        {
            weights[i].add_(randn_like(weights[i]) * 0.1);
        }
        var batched = FunctionalMlp.Forward(episode.Batch.Query.Inputs, weights);
        for (var t = 0; t < 4; t++)
        {
            var single = FunctionalMlp.Forward(episode.Batch.Query.Inputs[t..(t + 1)], weights.Select(w => w[t..(t + 1)]).ToArray());
            Assert.True(single.allclose(batched[t..(t + 1)], rtol: 1e-5, atol: 1e-6));
        }
    }

    [Fact]
    public void BackpropagationFromSharedWeightsEqualsPerTaskCopies()
    {
        using var scope = NewDisposeScope();
        using var episode = SyntheticTasks.Episode(tasks: 6, seed: 4);
        using var parameters = MlpParameters.Create(SyntheticTasks.Layout.InputSize, [16, 16], CPU, seed: 5, zeroOutputLayer: false);
        var support = episode.Batch.Support;
        var shared = parameters.Tensors.Select(t => t.detach()).ToArray();
        var expanded = shared.Select(t => t.expand(support.TaskCount, t.shape[1], t.shape[2])).ToArray();
        var copies = parameters.StackDetached(support.TaskCount);

        var (fromCopies, copyLosses, _) = FunctionalMlp.Backpropagate(support.Inputs, support.Targets, support.Mask, copies);
        foreach (var weights in new[] { shared, expanded })
        {
            var (fromShared, sharedLosses, _) = FunctionalMlp.Backpropagate(support.Inputs, support.Targets, support.Mask, weights);
            Assert.True(sharedLosses.allclose(copyLosses, rtol: 1e-5, atol: 1e-6));
            for (var i = 0; i < copies.Length; i++)
            {
                Assert.Equal(copies[i].shape, fromShared[i].shape);
                Assert.True(fromShared[i].allclose(fromCopies[i], rtol: 1e-5, atol: 1e-6), $"gradient {i} differs");
            }
        }
    }

    [Fact]
    public void ForwardWithSharedWeightsEqualsPerTaskCopies()
    {
        using var scope = NewDisposeScope();
        using var episode = SyntheticTasks.Episode(tasks: 5, seed: 6);
        using var parameters = MlpParameters.Create(SyntheticTasks.Layout.InputSize, [16, 16], CPU, seed: 7, zeroOutputLayer: false);
        var inputs = episode.Batch.Query.Inputs;
        var copies = parameters.StackDetached(inputs.shape[0]);
        var expected = FunctionalMlp.Forward(inputs, copies);

        var shared = FunctionalMlp.Forward(inputs, parameters.Tensors);
        var broadcast = FunctionalMlp.Forward(inputs, parameters.Broadcast(inputs.shape[0]));
        var onePair = FunctionalMlp.Forward(inputs[.., 0..1], copies);

        Assert.True(shared.allclose(expected, rtol: 1e-5, atol: 1e-6));
        Assert.True(broadcast.allclose(expected, rtol: 1e-5, atol: 1e-6));
        Assert.True(onePair.allclose(expected[.., 0..1], rtol: 1e-5, atol: 1e-6));
    }
}
