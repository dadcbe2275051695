using TorchSharp;
using static TorchSharp.torch;

namespace MetaAnomaly.Forecasting.Learners.Model.MetaNetworks;

/// <summary>
/// The meta learner m of Meta Networks for one base-learner layer: it turns an example's loss gradient on that layer
/// into the example's fast weights.
/// </summary>
/// <remarks>
/// The per-example gradient of a layer z = W a + b is the rank-one delta a^T (delta = dL/dz) and delta for the bias.
/// m acts on the two factors: W* = g(delta) h(a)^T, b* = g_b(delta), with g, g_b and h small tanh networks. The
/// paper's m is one network over the gradient's coordinates; keeping the rank-one form lets a query's attention-read
/// fast weights act on its activations as sum_i alpha_i g(delta_i) (h(a_i) . a_q) without building a matrix per example.
/// </remarks>
internal sealed class FastWeightGenerator : nn.Module
{
    private readonly SeededLinear deltaHidden;
    private readonly SeededLinear deltaOut;
    private readonly SeededLinear activationHidden;
    private readonly SeededLinear activationOut;

    public FastWeightGenerator(string name, int inputs, int outputs, int size, Generator generator)
        : base(name)
    {
        deltaHidden = new SeededLinear("deltaHidden", outputs, size, generator);
        deltaOut = new SeededLinear("deltaOut", size, 2 * outputs, generator);
        activationHidden = new SeededLinear("activationHidden", inputs, size, generator);
        activationOut = new SeededLinear("activationOut", size, inputs, generator);
        RegisterComponents();
    }

    /// <summary>From deltas [T, N, out] and layer inputs [T, N, in]: output factors, input factors and biases.</summary>
    public (Tensor OutputFactors, Tensor InputFactors, Tensor Biases) forward(Tensor delta, Tensor activation)
    {
        var fromDelta = deltaOut.forward(tanh(deltaHidden.forward(delta))).chunk(2, -1);
        var inputFactors = activationOut.forward(tanh(activationHidden.forward(activation)));
        return (fromDelta[0], inputFactors, fromDelta[1]);
    }
}
