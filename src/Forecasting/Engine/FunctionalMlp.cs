using static TorchSharp.torch;

namespace MetaAnomaly.Forecasting.Engine;

/// <summary>
/// The forecaster as a pure function of its weights, so that every task (series) carries its own fast weights and T
/// tasks run as one batched computation. Weights come in pairs per layer: W [T, in, out] and b [T, 1, out]
/// (T may be 1 and broadcast). Hidden layers use ReLU; the output layer is linear with one unit.
/// </summary>
/// <remarks>
/// Layer l: h_{l+1} = relu(h_l W_l + b_l), computed as <c>bmm</c> then <c>add_</c> (TorchSharp 0.107.0's
/// <c>baddbmm</c> returns wrong values). The MAML paper's regression net (Finn et al., 2017, section 5.1) is this
/// function with hidden sizes 40, 40.
/// </remarks>
internal static class FunctionalMlp
{
    /// <summary>Forecasts for inputs [T, N, D]: returns [T, N].</summary>
    public static Tensor Forward(Tensor inputs, IReadOnlyList<Tensor> weights)
    {
        using var scope = NewDisposeScope();
        var h = inputs;
        var layers = weights.Count / 2;
        for (var l = 0; l < layers; l++)
        {
            var z = Affine(h, weights[2 * l], weights[2 * l + 1]);
            h = l < layers - 1 ? nn.functional.relu(z) : z;
        }
        return h.squeeze(-1).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// Per-task masked mean squared error of <paramref name="predictions"/> [T, N] against targets [T, N]: returns [T].
    /// A task with no observed pair has loss 0.
    /// </summary>
    public static Tensor TaskLosses(Tensor predictions, Tensor targets, Tensor mask)
    {
        using var scope = NewDisposeScope();
        var squared = (predictions - targets).square() * mask;
        var counts = mask.sum(1).clamp_min(1.0);
        return (squared.sum(1) / counts).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// Gradients of the summed per-task losses with respect to each task's weights, by explicit back-propagation
    /// (no autograd graph): the fast path for serving-time adaptation. Weights must be [T, ...] (one copy per task).
    /// Returns gradients shaped like the weights, and the per-task losses before the step.
    /// </summary>
    /// <remarks>
    /// With e = mask (y_hat - y) and n_t the observed count of task t, dL/dy_hat = 2 e / n_t; for each layer from the
    /// top: dW_l = h_l^T dz_l, db_l = sum_n dz_l, dh_l = dz_l W_l^T, dz_{l-1} = dh_l * [z_{l-1} > 0].
    /// </remarks>
    public static (Tensor[] Gradients, Tensor Losses) Backpropagate(Tensor inputs, Tensor targets, Tensor mask, IReadOnlyList<Tensor> weights)
    {
        using var scope = NewDisposeScope();
        var layers = weights.Count / 2;
        var activations = new Tensor[layers];
        var preActivations = new Tensor[layers];
        var h = inputs;
        for (var l = 0; l < layers; l++)
        {
            activations[l] = h;
            var z = Affine(h, weights[2 * l], weights[2 * l + 1]);
            preActivations[l] = z;
            h = l < layers - 1 ? nn.functional.relu(z) : z;
        }
        var counts = mask.sum(1, keepdim: true).clamp_min(1.0);
        var error = (h.squeeze(-1) - targets) * mask;
        var losses = (error.square().sum(1, keepdim: true) / counts).squeeze(1);
        var dz = (error * (2.0 / counts)).unsqueeze(-1);
        var gradients = new Tensor[weights.Count];
        for (var l = layers - 1; l >= 0; l--)
        {
            gradients[2 * l] = activations[l].transpose(1, 2).bmm(dz);
            gradients[2 * l + 1] = dz.sum(1, keepdim: true);
            if (l > 0)
            {
                var dh = dz.bmm(weights[2 * l].transpose(1, 2));
                dz = dh.mul_(preActivations[l - 1].gt(0).to_type(dh.dtype));
            }
        }
        foreach (var g in gradients)
        {
            g.MoveToOuterDisposeScope();
        }
        return (gradients, losses.MoveToOuterDisposeScope());
    }

    private static Tensor Affine(Tensor h, Tensor w, Tensor b)
    {
        var weight = w.shape[0] == h.shape[0] ? w : w.expand(h.shape[0], w.shape[1], w.shape[2]);
        return h.bmm(weight).add_(b);
    }
}
