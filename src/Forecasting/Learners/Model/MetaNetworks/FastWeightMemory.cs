using static TorchSharp.torch;

namespace MetaAnomaly.Forecasting.Learners.Model.MetaNetworks;

/// <summary>Meta Networks' memory of a support set: representations [T, N, R], mask [T, N], fast weights per layer.</summary>
internal sealed record FastWeightMemory(Tensor Keys, Tensor Mask, IReadOnlyList<LayerFastWeights> Layers)
{
    public IReadOnlyList<NamedState> ToState() =>
    [
        new("keys", Keys),
        new("mask", Mask),
        .. Layers.SelectMany((layer, l) => new NamedState[]
        {
            new($"outputFactors{l}", layer.OutputFactors),
            new($"inputFactors{l}", layer.InputFactors),
            new($"biases{l}", layer.Biases),
        }),
    ];

    public static FastWeightMemory FromState(IReadOnlyList<NamedState> state, int layerCount)
    {
        Tensor Named(string name) => state.First(s => s.Name == name).Value;
        return new FastWeightMemory(
            Named("keys"),
            Named("mask"),
            Enumerable.Range(0, layerCount)
                .Select(l => new LayerFastWeights(Named($"outputFactors{l}"), Named($"inputFactors{l}"), Named($"biases{l}")))
                .ToList());
    }
}
