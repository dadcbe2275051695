using TorchSharp;
using static TorchSharp.torch;

namespace MetaAnomaly.Forecasting.Learners.Optimization;

/// <summary>
/// The forecaster whose weights the LSTM meta-learner writes: a ReLU MLP D -> hidden... -> 1 whose weights for all T
/// tasks are one flat tensor [T, P], so each coordinate of the flat vector is one cell of the coordinate-wise LSTM.
/// </summary>
internal sealed class LstmMetaLearnerForecaster(int inputSize, IReadOnlyList<int> hiddenSizes)
{
    private readonly int[] _widths = [inputSize, .. hiddenSizes, 1];

    public long ParameterCount
    {
        get
        {
            long count = 0;
            for (var layer = 0; layer + 1 < _widths.Length; layer++)
            {
                count += (long)_widths[layer] * _widths[layer + 1] + _widths[layer + 1];
            }
            return count;
        }
    }

    /// <summary>[T, N, D] inputs through each task's flat weights [T, P] to [T, N] forecasts.</summary>
    public Tensor Forward(Tensor inputs, Tensor weights)
    {
        using var scope = NewDisposeScope();
        var tasks = weights.shape[0];
        var hidden = inputs;
        long offset = 0;
        for (var layer = 0; layer + 1 < _widths.Length; layer++)
        {
            long fanIn = _widths[layer], fanOut = _widths[layer + 1];
            var w = weights.narrow(1, offset, fanIn * fanOut).view(tasks, fanIn, fanOut);
            offset += fanIn * fanOut;
            var b = weights.narrow(1, offset, fanOut).view(tasks, 1, fanOut);
            offset += fanOut;
            hidden = bmm(hidden, w).add_(b);
            if (layer + 2 < _widths.Length)
            {
                hidden = nn.functional.relu(hidden);
            }
        }
        return hidden.squeeze(-1).MoveToOuterDisposeScope();
    }

    /// <summary>Mean squared error over each task's observed pairs: [T, N] forecasts and targets, [T, N] mask to [T].</summary>
    public static Tensor TaskLosses(Tensor forecasts, Tensor targets, Tensor mask)
    {
        using var scope = NewDisposeScope();
        var squared = (forecasts - targets).square().mul(mask).sum(1);
        return squared.div(mask.sum(1).clamp_min(1)).MoveToOuterDisposeScope();
    }

    /// <summary>PyTorch's default Linear initialisation, U(-1/sqrt(fan in), 1/sqrt(fan in)), flattened to [P].</summary>
    public Tensor Initialise(Generator generator)
    {
        using var scope = NewDisposeScope();
        var parts = new List<Tensor>();
        for (var layer = 0; layer + 1 < _widths.Length; layer++)
        {
            long fanIn = _widths[layer], fanOut = _widths[layer + 1];
            var bound = 1.0 / Math.Sqrt(fanIn);
            parts.Add(rand([fanIn * fanOut + fanOut], generator: generator).mul_(2 * bound).sub_(bound));
        }
        return cat(parts, 0).MoveToOuterDisposeScope();
    }
}
