using MetaAnomaly.Forecasting.Engine;
using static TorchSharp.torch;

namespace MetaAnomaly.Forecasting.Learners.Optimization;

/// <summary>T adapted forecasters as stacked fast weights (W [T, in, out], b [T, 1, out]); predicts in one pass.</summary>
internal sealed class FastWeightBatch : IAdaptedBatch
{
    private readonly string _learner;
    private readonly Tensor[] _weights;

    /// <summary>Takes ownership of <paramref name="weights"/> (detached from any dispose scope here).</summary>
    public FastWeightBatch(string learner, Tensor[] weights)
    {
        _learner = learner;
        _weights = weights;
        foreach (var w in _weights)
        {
            w.DetachFromDisposeScope();
        }
    }

    public int TaskCount => (int)_weights[0].shape[0];

    internal IReadOnlyList<Tensor> Weights => _weights;

    public Tensor Predict(Tensor queryInputs)
    {
        using (no_grad())
        {
            return FunctionalMlp.Forward(queryInputs, _weights);
        }
    }

    public AdaptedTaskState Slice(int task)
    {
        var arrays = new StateArray[_weights.Length];
        for (var i = 0; i < _weights.Length; i++)
        {
            using var row = _weights[i][task].cpu().contiguous();
            arrays[i] = new StateArray(ParameterName(i), row.shape, row.data<float>().ToArray());
        }
        return new AdaptedTaskState(_learner, arrays);
    }

    public static FastWeightBatch Restack(string learner, IReadOnlyList<AdaptedTaskState> states, IReadOnlyList<int> layerSizes, Device device)
    {
        if (states.Count == 0)
        {
            throw new ArgumentException("Nothing to restack.", nameof(states));
        }
        var count = 2 * (layerSizes.Count - 1);
        var weights = new Tensor[count];
        for (var i = 0; i < count; i++)
        {
            long[] shape = i % 2 == 0 ? [layerSizes[i / 2], layerSizes[i / 2 + 1]] : [1, layerSizes[i / 2 + 1]];
            var size = (int)(shape[0] * shape[1]);
            var data = new float[states.Count * size];
            for (var t = 0; t < states.Count; t++)
            {
                var state = states[t];
                if (state.Learner != learner || state.Arrays.Count != count || state.Arrays[i].Data.Length != size)
                {
                    throw new ArgumentException($"State {t} was not made by {learner} with layers [{string.Join(", ", layerSizes)}].", nameof(states));
                }
                state.Arrays[i].Data.CopyTo(data, t * size);
            }
            using var cpu = tensor(data, [states.Count, shape[0], shape[1]]);
            weights[i] = cpu.to(device).DetachFromDisposeScope();
        }
        return new FastWeightBatch(learner, weights);
    }

    public void Dispose()
    {
        foreach (var w in _weights)
        {
            w.Dispose();
        }
    }

    private static string ParameterName(int index) => (index % 2 == 0 ? "W" : "b") + (index / 2);
}
