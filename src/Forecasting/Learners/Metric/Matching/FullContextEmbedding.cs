using MetaAnomaly.Forecasting.Engine;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace MetaAnomaly.Forecasting.Learners.Metric.Matching;

/// <summary>The full-context embeddings of matching networks: support in the context of the set, query read against it.</summary>
/// <remarks>
/// Vinyals et al. 2016, appendix A. Support: the paper runs a bidirectional LSTM over g'(xᵢ) in an arbitrary order and
/// adds both states to g'(xᵢ). A support set of forecasting pairs has no meaningful order and the forecast must not
/// depend on one, so here the set context is one masked self-attention step, g(xᵢ, S) = g'(xᵢ) + Wₒ Σⱼ αᵢⱼ W_v g'(xⱼ),
/// αᵢ = softmax over observed j of (W_q g'(xᵢ))·(W_k g'(xⱼ)) / √E: permutation-equivariant, and the prediction stays
/// permutation-invariant. Query: the paper's attention LSTM for <see cref="ProcessingSteps"/> steps,
/// ĥₖ, cₖ = LSTM([f'(x̂), rₖ₋₁], (hₖ₋₁, cₖ₋₁)); hₖ = ĥₖ + f'(x̂); rₖ = Σᵢ softmax(hₖ·g(xᵢ)) g(xᵢ); f = h_last
/// (the read-out rₖ₋₁ enters as input rather than concatenated to the hidden state; same information, simpler cell).
/// </remarks>
internal sealed class FullContextEmbedding : Module
{
    public const int ProcessingSteps = 3;

    private readonly Linear support_query;
    private readonly Linear support_key;
    private readonly Linear support_value;
    private readonly Linear support_output;
    private readonly LSTMCell query_cell;
    private readonly Scalar _scale;

    public FullContextEmbedding(int embeddingSize) : base(nameof(FullContextEmbedding))
    {
        support_query = Linear(embeddingSize, embeddingSize, hasBias: false);
        support_key = Linear(embeddingSize, embeddingSize, hasBias: false);
        support_value = Linear(embeddingSize, embeddingSize, hasBias: false);
        support_output = Linear(embeddingSize, embeddingSize);
        query_cell = LSTMCell(2 * embeddingSize, embeddingSize);
        _scale = (1.0 / Math.Sqrt(embeddingSize)).ToScalar();
        RegisterComponents();
    }

    /// <summary>[T, K, E] support embeddings to context embeddings of the same shape (unobserved pairs stay zero).</summary>
    public Tensor EmbedSupport(Tensor support, Tensor mask)
    {
        using var scope = NewDisposeScope();
        var scores = bmm(support_query.forward(support), support_key.forward(support).transpose(1, 2)).mul(_scale);
        var attention = SupportWeighting.ObservedSoftmax(scores, mask);
        var context = support.add(support_output.forward(bmm(attention, support_value.forward(support))), KeptScalars.One);
        return context.Fill(mask.logical_not().unsqueeze(-1), 0).MoveToOuterDisposeScope();
    }

    /// <summary>[T, Q, E] query embeddings read against the context support [T, K, E]: [T, Q, E].</summary>
    public Tensor EmbedQuery(Tensor query, Tensor support, Tensor mask)
    {
        using var scope = NewDisposeScope();
        var shape = query.shape;
        var flatQuery = query.reshape(-1, shape[2]);
        var hidden = flatQuery;
        var cell = zeros_like(flatQuery);
        var readout = zeros_like(flatQuery);
        for (var step = 0; step < ProcessingSteps; step++)
        {
            var (next, nextCell) = query_cell.forward(cat([flatQuery, readout], 1), (hidden, cell));
            hidden = next.add(flatQuery, KeptScalars.One);
            cell = nextCell;
            var attention = SupportWeighting.ObservedSoftmax(bmm(hidden.reshape(shape), support.transpose(1, 2)), mask);
            readout = bmm(attention, support).reshape(-1, shape[2]);
        }
        return hidden.reshape(shape).MoveToOuterDisposeScope();
    }
}
