using static TorchSharp.torch;

namespace MetaAnomaly.Forecasting.Learners.Metric.Relation;

/// <summary>Relation networks for one-step forecasting: a learned relation score weights the support targets.</summary>
/// <remarks>
/// Sung et al., "Learning to Compare: Relation Network for Few-Shot Learning", CVPR 2018. There, a relation module
/// g scores each (query, support) pair, r = sigmoid(g([f(x̂), f(xᵢ)])), trained with mean squared error against
/// 1 for the same class and 0 otherwise. Regression has no same-class target, so the scores are normalised instead
/// and weight the support targets: ŷ = Σᵢ softmax over observed i of g([f(x̂), f(xᵢ)]) · yᵢ, trained end to end with
/// the query's mean squared error. The forecast is a convex combination of observed support targets; unlike matching
/// networks' fixed cosine, the learned g can weigh any relation between windows (level, slope, phase).
/// </remarks>
internal sealed class RelationNetworks(LearnerSettings settings)
    : MetricLearner<RelationModules>(RelationNetworksFactory.LearnerName, settings, () => new RelationModules(settings))
{
    protected override Tensor Predict(EmbeddedSupport support, Tensor queryInputs)
    {
        using var scope = NewDisposeScope();
        var query = Network.Encoder.forward(queryInputs);
        var scores = Network.Relation.forward(query, support.Embeddings);
        return SupportWeighting.SoftmaxOfTargets(scores, support).MoveToOuterDisposeScope();
    }
}
