using static TorchSharp.torch;

namespace MetaAnomaly.Forecasting.Learners.Metric.Prototypical;

/// <summary>Prototypical networks for one-step forecasting: a decoder reads the query against the task prototype.</summary>
/// <remarks>
/// Snell et al., "Prototypical Networks for Few-shot Learning", NeurIPS 2017. There, each class c has the prototype
/// c_c = mean of f(xᵢ) over its support examples, and p(y = c | x̂) = softmax over c of −‖f(x̂) − c_c‖². Regression
/// has no classes: the whole support set is one "class", the task, and the label, now continuous, cannot pick a
/// prototype, so it enters the prototype as a feature: p = mean over observed support pairs of
/// φ([f(xᵢ), yᵢ]) (φ one ReLU layer; the mean makes it permutation-invariant and masked pairs drop out). The
/// squared-distance classifier becomes a decoder ŷ = h([f(x̂), p]). Without yᵢ the prototype would only know the
/// windows, which in the MAML sinusoid (inputs drawn at random) say nothing about the task. Unlike the other three
/// learners the forecast is not a convex combination of support targets: the decoder can extrapolate beyond them, and
/// the support only conditions it (this makes the learner a conditional neural process with a ProtoNet's mean
/// aggregation). Value-bin prototypes (classes = bins of the next value, ŷ = Σ_b p(b | x̂) ȳ_b), the classification form
/// taken literally, were not added: with K of a few tens most bins hold one or two pairs, and the read-out then becomes
/// matching networks' attention.
/// </remarks>
internal sealed class PrototypicalNetworks(LearnerSettings settings)
    : MetricLearner<PrototypicalModules>(
        PrototypicalNetworksFactory.LearnerName, settings, () => new PrototypicalModules(settings))
{
    protected override Tensor Predict(EmbeddedSupport support, Tensor queryInputs)
    {
        using var scope = NewDisposeScope();
        var query = Network.Encoder.forward(queryInputs);
        var pairs = Network.PairEmbedding.forward(cat([support.Embeddings, support.Targets.unsqueeze(-1)], -1));
        var prototype = SupportWeighting.ObservedMean(pairs, support.Mask).unsqueeze(1).expand_as(query);
        return Network.Decoder.forward(cat([query, prototype], -1)).squeeze(-1).MoveToOuterDisposeScope();
    }
}
