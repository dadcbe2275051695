using MetaAnomaly.Forecasting.Engine;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace MetaAnomaly.Forecasting.Learners.Model.MetaNetworks;

/// <summary>
/// Meta Networks (Munkhdalai and Yu 2017, "Meta Networks") for regression: a base learner b with slow weights W, a
/// meta learner that turns each support example's loss gradient into example-level fast weights W*_i (see
/// <see cref="FastWeightGenerator"/>) stored beside the example's representation r_i = u(x_i), and a query that reads
/// its fast weights W*_q = sum_i alpha_i W*_i with alpha = softmax_i(beta cos(u(x_q), r_i)).
/// </summary>
/// <remarks>
/// Layer augmentation as in the paper: a hidden layer computes relu(W a + b) + relu(W*_q a + b*_q), the output layer
/// W a + b + W*_q a + b*_q. Support gradients are those of the squared error of the base learner with its slow weights
/// alone, computed in closed form by back-propagation through its relu layers (delta_L = 2 (yhat - y),
/// delta_l = (W_{l+1}^T delta_{l+1}) * 1[z_l > 0]) so that meta-training can differentiate through them.
/// The paper also gives the representation learner task-level fast weights from an embedding loss; here u keeps
/// slow weights only and learns from the query loss.
/// </remarks>
internal sealed class MetaNetNetwork : nn.Module
{
    private const double InitialSharpness = 10.0;
    private const float Excluded = -1e9f;

    private readonly ModuleList<SeededLinear> layers;
    private readonly ModuleList<FastWeightGenerator> generators;
    private readonly SeededLinear representationHidden;
    private readonly SeededLinear representation;
    private readonly Parameter logSharpness;

    public MetaNetNetwork(MetaNetShape shape, Generator generator)
        : base("metanet")
    {
        layers = nn.ModuleList(shape.Layers.Select((l, i) => new SeededLinear($"layer{i}", l.Inputs, l.Outputs, generator)).ToArray());
        generators = nn.ModuleList(shape.Layers
            .Select((l, i) => new FastWeightGenerator($"generator{i}", l.Inputs, l.Outputs, shape.GeneratorSize, generator)).ToArray());
        representationHidden = new SeededLinear("representationHidden", shape.InputSize, shape.HiddenSizes[0], generator);
        representation = new SeededLinear("representation", shape.HiddenSizes[0], shape.RepresentationSize, generator);
        logSharpness = new Parameter(tensor(Math.Log(InitialSharpness), ScalarType.Float32));
        RegisterComponents();
    }

    public int LayerCount => layers.Count;

    /// <summary>The fast-weight memory of a support set: keys, mask and per-layer fast-weight factors.</summary>
    public FastWeightMemory Read(SupportSequence support, bool firstOrder)
    {
        var activations = new List<Tensor> { support.Inputs };
        var preActivations = new List<Tensor>();
        for (var l = 0; l < layers.Count; l++)
        {
            preActivations.Add(layers[l].forward(activations[^1]));
            if (l < layers.Count - 1)
            {
                activations.Add(nn.functional.relu(preActivations[^1]));
            }
        }
        var observed = support.Mask.unsqueeze(-1);
        var deltas = new Tensor[layers.Count];
        deltas[^1] = (preActivations[^1] - support.Targets.unsqueeze(-1)).mul(KeptScalars.Two) * observed;
        for (var l = layers.Count - 2; l >= 0; l--)
        {
            deltas[l] = matmul(deltas[l + 1], layers[l + 1].Weight) * preActivations[l].gt(KeptScalars.Zero).to_type(ScalarType.Float32);
        }
        var fastWeights = new List<LayerFastWeights>();
        for (var l = 0; l < layers.Count; l++)
        {
            var (delta, activation) = firstOrder ? (deltas[l].detach(), activations[l].detach()) : (deltas[l], activations[l]);
            var (outputFactors, inputFactors, biases) = generators[l].forward(delta, activation);
            fastWeights.Add(new LayerFastWeights(outputFactors * observed, inputFactors, biases * observed));
        }
        return new FastWeightMemory(Represent(support.Inputs), support.Mask, fastWeights);
    }

    /// <summary>Forecasts for query windows [T, Q, D] with slow weights and the fast weights each query reads.</summary>
    public Tensor ReadOut(FastWeightMemory memory, Tensor queryInputs)
    {
        var attention = Attention(Represent(queryInputs), memory.Keys, memory.Mask);
        var activation = queryInputs;
        for (var l = 0; l < layers.Count; l++)
        {
            var fast = memory.Layers[l];
            var slowOut = layers[l].forward(activation);
            var fastOut = bmm(attention * bmm(activation, fast.InputFactors.transpose(1, 2)), fast.OutputFactors)
                .add(bmm(attention, fast.Biases), KeptScalars.One);
            activation = l < layers.Count - 1
                ? nn.functional.relu(slowOut).add(nn.functional.relu(fastOut), KeptScalars.One)
                : slowOut.add(fastOut, KeptScalars.One);
        }
        return activation.squeeze(-1);
    }

    private Tensor Represent(Tensor inputs) =>
        representation.forward(nn.functional.relu(representationHidden.forward(inputs)));

    private Tensor Attention(Tensor queryKeys, Tensor keys, Tensor mask)
    {
        var similarity = bmm(nn.functional.normalize(queryKeys, dim: -1), nn.functional.normalize(keys, dim: -1).transpose(1, 2));
        var logits = (logSharpness.exp() * similarity).Fill(mask.le(KeptScalars.Zero).unsqueeze(1), Excluded);
        return softmax(logits, -1);
    }
}
