using static TorchSharp.torch;

namespace MetaAnomaly.Forecasting.Learners.Metric.Matching;

/// <summary>Matching networks for one-step forecasting: attention over the support set's targets.</summary>
/// <remarks>
/// Vinyals et al., "Matching Networks for One Shot Learning", NeurIPS 2016. The classifier there is
/// ŷ = Σₖ a(x̂, xₖ) yₖ with one-hot labels yₖ and a = softmax over k of cos(f(x̂), g(xₖ)). Regression keeps the same
/// read-out with scalar yₖ: the forecast is the attention-weighted mean of the support's next values, so it is a convex
/// combination of observed support targets (unobserved pairs get weight 0). The softmax gets a learned inverse
/// temperature (cosine alone spans only [-1, 1], too flat for a softmax over tens of pairs). f = g = the shared
/// window encoder; with <see cref="MatchingOptions.FullContextEmbeddings"/> both become the paper's full-context
/// embeddings (<see cref="FullContextEmbedding"/>). Training is the paper's episodic loss with mean squared error in
/// place of cross-entropy.
/// </remarks>
internal sealed class MatchingNetworks(LearnerSettings settings, MatchingOptions options)
    : MetricLearner<MatchingModules>(
        MatchingNetworksFactory.LearnerName, settings, () => new MatchingModules(settings, options))
{
    protected override EmbeddedSupport EmbedSupport(TaskSet support)
    {
        var embedded = base.EmbedSupport(support);
        if (Network.Context is null)
        {
            return embedded;
        }
        using var scope = NewDisposeScope();
        var contextual = Network.Context.EmbedSupport(embedded.Embeddings, embedded.Mask);
        return new EmbeddedSupport(contextual, embedded.Targets, embedded.Mask).MoveToOuterDisposeScope();
    }

    protected override Tensor Predict(EmbeddedSupport support, Tensor queryInputs)
    {
        using var scope = NewDisposeScope();
        var query = Network.Encoder.forward(queryInputs);
        if (Network.Context is not null)
        {
            query = Network.Context.EmbedQuery(query, support.Embeddings, support.Mask);
        }
        var cosine = bmm(
            nn.functional.normalize(query, dim: -1),
            nn.functional.normalize(support.Embeddings, dim: -1).transpose(1, 2));
        var scores = cosine * Network.LogInverseTemperature.exp();
        return SupportWeighting.SoftmaxOfTargets(scores, support).MoveToOuterDisposeScope();
    }
}
