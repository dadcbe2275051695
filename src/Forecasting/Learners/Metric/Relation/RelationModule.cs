using MetaAnomaly.Forecasting.Engine;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace MetaAnomaly.Forecasting.Learners.Metric.Relation;

/// <summary>
/// The relation module g: an MLP over the concatenated pair [f(x̂), f(xᵢ)], scored for every (query, support) pair of
/// every task at once: [T, Q, E] and [T, K, E] to [T, Q, K].
/// </summary>
/// <remarks>
/// The first layer on the concatenation, W [a; b] + c, is computed as (W_a a + c) + W_b b, query and support apart,
/// then broadcast over the pairs: T·(Q + K) products instead of T·Q·K.
/// </remarks>
internal sealed class RelationModule : Module<Tensor, Tensor, Tensor>
{
    private readonly Linear query_projection;
    private readonly Linear support_projection;
    private readonly Linear score;

    public RelationModule(int embeddingSize, int hiddenSize) : base(nameof(RelationModule))
    {
        query_projection = Linear(embeddingSize, hiddenSize);
        support_projection = Linear(embeddingSize, hiddenSize, hasBias: false);
        score = Linear(hiddenSize, 1);
        RegisterComponents();
    }

    public override Tensor forward(Tensor query, Tensor support)
    {
        using var scope = NewDisposeScope();
        var pairs = query_projection.forward(query).unsqueeze(2).add(support_projection.forward(support).unsqueeze(1), KeptScalars.One);
        return score.forward(functional.relu(pairs)).squeeze(-1).MoveToOuterDisposeScope();
    }
}
