using static TorchSharp.torch;

namespace MetaAnomaly.Forecasting.Engine;

/// <summary>
/// The forecaster as a pure function of its weights, so that every task (series) carries its own fast weights and T
/// tasks run as one batched computation. Weights come in pairs per layer: W [T, in, out] and b [T, 1, out]
/// (T may be 1 and broadcast). Hidden layers use ReLU; the output layer is linear with one unit.
/// </summary>
/// <remarks>
/// Layer l: h_{l+1} = relu(h_l W_l + b_l), computed as a product then <c>add_</c> (TorchSharp 0.107.0's
/// <c>baddbmm</c> returns wrong values). The MAML paper's regression net (Finn et al., 2017, section 5.1) is this
/// function with hidden sizes 40, 40.
/// The products pick the fastest equivalent form for small per-task matrices on the CPU: weights shared by every task
/// make one [T*N, in] x [in, out] product instead of T small ones; a layer with one output unit over N > 1 pairs runs
/// as the transposed product W^T h^T, a [1, in] x [in, N] product per task, instead of a [N, in] x [in, 1] one (which
/// libtorch's batched product handles several times slower).
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
            h = l < layers - 1 ? z.relu_() : z;
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
        var squared = (predictions - targets).pow(KeptScalars.Two) * mask;
        var counts = mask.sum(1).clamp_min(KeptScalars.One);
        return (squared.sum(1) / counts).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// Gradients of the summed per-task losses with respect to each task's weights, by explicit back-propagation
    /// (no autograd graph): the fast path for serving-time adaptation. Weights are [T, ...] (one copy per task) or
    /// [1, ...] (one set shared by every task, as at the first inner step). Returns per-task gradients [T, ...], and
    /// the per-task losses and the predictions [T, N] before the step.
    /// </summary>
    /// <remarks>
    /// With e = mask (y_hat - y) and n_t the observed count of task t, dL/dy_hat = 2 e / n_t; for each layer from the
    /// top: dW_l = h_l^T dz_l, db_l = sum_n dz_l, dh_l = dz_l W_l^T, dz_{l-1} = dh_l * [z_{l-1} > 0].
    /// ReLU runs in place, and once dW_l is taken its input h_l = relu(z_{l-1}) becomes that mask in place: sign(h_l)
    /// is 1.0 where z_{l-1} > 0, else 0.0 (a boolean mask converted to float costs more than the layer's product here).
    /// Scalar arguments are <see cref="KeptScalars"/>, so that adaptation can run on several threads at once.
    /// </remarks>
    public static (Tensor[] Gradients, Tensor Losses, Tensor Predictions) Backpropagate(Tensor inputs, Tensor targets, Tensor mask, IReadOnlyList<Tensor> weights)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var layers = weights.Count / 2;
        var activations = new Tensor[layers];
        var h = inputs;
        for (var l = 0; l < layers; l++)
        {
            activations[l] = h;
            var z = Affine(h, weights[2 * l], weights[2 * l + 1]);
            h = l < layers - 1 ? z.relu_() : z;
        }
        var counts = mask.sum(1, keepdim: true).clamp_min(KeptScalars.One);
        var predictions = h.squeeze(-1);
        var error = predictions.sub(targets).mul_(mask);
        var losses = error.mul(error).sum(1, keepdim: true).div_(counts).squeeze(1);
        var dz = error.mul_(counts.reciprocal().mul_(KeptScalars.Two)).unsqueeze(-1);
        var gradients = new Tensor[weights.Count];
        for (var l = layers - 1; l >= 0; l--)
        {
            gradients[2 * l] = WeightGradient(activations[l], dz);
            gradients[2 * l + 1] = dz.sum(1, keepdim: true);
            if (l > 0)
            {
                dz = InputGradient(dz, weights[2 * l], inputs.shape[0]).mul_(activations[l].sign_());
            }
        }
        foreach (var g in gradients)
        {
            g.MoveToOuterDisposeScope();
        }
        return (gradients, losses.MoveToOuterDisposeScope(), predictions.MoveToOuterDisposeScope());
    }

    /// <summary>h W + b for h [T, N, in]: returns [T, N, out].</summary>
    private static Tensor Affine(Tensor h, Tensor w, Tensor b)
    {
        var tasks = h.shape[0];
        if (IsShared(w, tasks))
        {
            return h.matmul(w[0]).add_(b, KeptScalars.One);
        }
        var weight = w.shape[0] == tasks ? w : w.expand(tasks, w.shape[1], w.shape[2]);
        if (w.shape[2] == 1 && h.shape[1] > 1)
        {
            return weight.transpose(1, 2).bmm(h.transpose(1, 2)).view(tasks, h.shape[1], 1).add_(b, KeptScalars.One);
        }
        return h.bmm(weight).add_(b, KeptScalars.One);
    }

    /// <summary>dW = h^T dz per task, for h [T, N, in] and dz [T, N, out]: returns [T, in, out].</summary>
    private static Tensor WeightGradient(Tensor h, Tensor dz)
    {
        if (dz.shape[2] == 1)
        {
            return dz.transpose(1, 2).bmm(h).view(h.shape[0], h.shape[2], 1);
        }
        return h.transpose(1, 2).bmm(dz);
    }

    /// <summary>dh = dz W^T for dz [T, N, out]: returns [T, N, in].</summary>
    private static Tensor InputGradient(Tensor dz, Tensor w, long tasks)
    {
        if (IsShared(w, tasks))
        {
            return dz.matmul(w[0].t());
        }
        if (w.shape[2] == 1)
        {
            return dz * w.transpose(1, 2);
        }
        return dz.bmm(w.transpose(1, 2));
    }

    /// <summary>
    /// One weight matrix [1, in, out] for all <paramref name="tasks"/> tasks. A stride-0 expansion to [T, in, out] is
    /// not shared here: autograd must still give each task's slot its own gradient.
    /// </summary>
    private static bool IsShared(Tensor w, long tasks) => tasks > 1 && w.shape[0] == 1;
}
