using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace MetaAnomaly.Forecasting.Learners.Model.Snail;

/// <summary>
/// SNAIL (Mishra et al. 2018, "A Simple Neural Attentive Meta-Learner") over the sequence of support pairs followed by
/// a query: attention block, temporal-convolution block (dense causal convolutions, dilations 1, 2, 4, ...), attention
/// block, then a read-out of the query position.
/// </summary>
/// <remarks>
/// Tokens are [x_i, y_i, 1, 0] for support pairs and [x_q, 0, 0, 1] for a query. Every layer is causal, so the
/// support's activations never depend on a query and a support position never on later ones; the support is read once
/// into its activations (the last channels of a dense network hold all earlier layers' inputs as prefixes) and each
/// query is placed after it on its own. Unobserved pairs are moved to the front (<see cref="SupportSequence.RightAligned"/>)
/// and their activations zeroed at every layer, which makes them the same as the zero padding before a sequence.
/// </remarks>
internal sealed class SnailNetwork : nn.Module
{
    private readonly ModuleList<SnailLayer> blocks;
    private readonly SeededLinear readoutHidden;
    private readonly SeededLinear readout;

    public SnailNetwork(SnailShape shape, Generator generator)
        : base("snail")
    {
        var layers = new List<SnailLayer>();
        long channels = shape.TokenSize;
        void Add(SnailLayer layer)
        {
            layers.Add(layer);
            channels += layer.NewChannels;
        }
        Add(new CausalAttention("attention0", channels, shape.FirstAttentionSize, shape.FirstAttentionSize, generator));
        for (var level = 0; level < shape.DilationLevels; level++)
        {
            Add(new CausalDenseConvolution($"convolution{level}", channels, shape.Filters, 1L << level, generator));
        }
        Add(new CausalAttention("attention1", channels, shape.SecondAttentionSize, shape.SecondAttentionSize, generator));
        blocks = nn.ModuleList(layers.ToArray());
        readoutHidden = new SeededLinear("readoutHidden", channels, shape.HeadSize, generator);
        readout = new SeededLinear("readout", shape.HeadSize, 1, generator);
        RegisterComponents();
    }

    /// <summary>The activations [T, N, C] of every support position after the last layer.</summary>
    public Tensor Read(SupportSequence support) => Run(SupportTokens(support), support.Mask);

    /// <summary>Forecasts for query windows [T, Q, D], each one placed right after its task's read support.</summary>
    public Tensor ReadOut(Tensor supportActivations, Tensor mask, Tensor queryInputs)
    {
        var activations = QueryTokens(queryInputs);
        foreach (var block in blocks)
        {
            var support = supportActivations[.., .., ..(int)block.InputChannels];
            activations = cat([activations, block.Query(activations, support, mask)], -1);
        }
        return Head(activations);
    }

    /// <summary>Runs every layer over whole token sequences [T, N, C0] at once; masked positions stay zero.</summary>
    public Tensor Run(Tensor tokens, Tensor mask)
    {
        var observed = mask.unsqueeze(-1);
        var activations = tokens * observed;
        foreach (var block in blocks)
        {
            activations = cat([activations, block.Sequence(activations, mask) * observed], -1);
        }
        return activations;
    }

    public static Tensor SupportTokens(SupportSequence support)
    {
        var observed = support.Mask.unsqueeze(-1);
        return cat([support.Inputs, support.Targets.unsqueeze(-1), observed, zeros_like(observed)], -1);
    }

    public static Tensor QueryTokens(Tensor queryInputs)
    {
        var flags = zeros([queryInputs.shape[0], queryInputs.shape[1], 2], device: queryInputs.device);
        return cat([queryInputs, flags, ones_like(flags[.., .., ..1])], -1);
    }

    /// <summary>The forecast read out of positions' last activations [T, Q, C].</summary>
    public Tensor Head(Tensor activations) =>
        readout.forward(nn.functional.relu(readoutHidden.forward(activations))).squeeze(-1);
}
