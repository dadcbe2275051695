using static TorchSharp.torch;

namespace MetaAnomaly.Forecasting.Learners.Metric.Prototypical;

/// <summary>Prototypical networks for one-step forecasting: a decoder reads the query against the task prototype.</summary>
/// <remarks>
/// Snell et al., "Prototypical Networks for Few-shot Learning", NeurIPS 2017. There, each class c has the prototype
/// cₖ = mean of f(xᵢ) over its support examples and p(y = c | x̂) = softmax of −‖f(x̂) − c_c‖². Regression has no
/// classes, so the whole support set is one "class", the task: its prototype p = mean of f(xᵢ) over the observed
/// support windows (permutation-invariant, masked pairs excluded), and the squared-distance classifier becomes a decoder
/// ŷ = h([f(x̂), p, f(x̂) − p]) (the difference term is the paper's distance, kept as a vector so the decoder can use
/// its direction). Unlike the other three learners the forecast is not a convex combination of support targets: the
/// decoder can extrapolate beyond them, and the support only conditions it. Value-bin prototypes (classes = bins of
/// the next value, ŷ = Σ_b p(b | x̂) ȳ_b) are the classification form taken literally; they were not added, since
/// with K of a few tens most bins hold one or two pairs and the read-out becomes matching networks' attention.
/// </remarks>
internal sealed class PrototypicalNetworks(LearnerSettings settings)
    : MetricLearner<PrototypicalModules>(
        PrototypicalNetworksFactory.LearnerName, settings, () => new PrototypicalModules(settings))
{
    protected override Tensor Predict(EmbeddedSupport support, Tensor queryInputs)
    {
        using var scope = NewDisposeScope();
        var query = Network.Encoder.forward(queryInputs);
        var prototype = SupportWeighting.ObservedMean(support.Embeddings, support.Mask).unsqueeze(1).expand_as(query);
        var features = cat([query, prototype, query - prototype], -1);
        return Network.Decoder.forward(features).squeeze(-1).MoveToOuterDisposeScope();
    }
}
