using static TorchSharp.torch;

namespace MetaAnomaly.Forecasting.Learners.Optimization;

/// <summary>
/// Per task, the fast weights of the inner step whose held-out loss (<see cref="HeldOutTail"/>) is the lowest offered
/// so far; a tie keeps the earlier step, the initialisation first.
/// </summary>
internal sealed class KeptStep(Tensor[] weights)
{
    private Tensor? _losses;

    /// <summary>The kept weights, [T, ...] per parameter.</summary>
    public Tensor[] Weights { get; private set; } = weights;

    /// <summary>
    /// Offers <paramref name="candidate"/> with its held-out losses [T] (the first offer's weights are those given at
    /// construction). Differentiable: the kept weights become new tensors that select, per task, the better of the two.
    /// </summary>
    public void Offer(Tensor losses, Tensor[] candidate)
    {
        if (_losses is null)
        {
            _losses = losses;
            return;
        }
        var better = losses.lt(_losses);
        Weights = Weights.Select((kept, i) => where(Expand(better, kept), candidate[i], kept)).ToArray();
        _losses = minimum(losses, _losses);
    }

    /// <summary>The same choice for serving, in place: the kept weights (tensors of the caller's scope) are overwritten
    /// where <paramref name="candidate"/> is better. Temporaries live in the current dispose scope.</summary>
    public void OfferInPlace(Tensor losses, Tensor[] candidate)
    {
        if (_losses is null)
        {
            _losses = losses.clone().MoveToOuterDisposeScope();
            return;
        }
        var better = losses.lt(_losses);
        for (var i = 0; i < Weights.Length; i++)
        {
            Weights[i].copy_(where(Expand(better, Weights[i]), candidate[i], Weights[i]));
        }
        _losses.copy_(minimum(losses, _losses));
    }

    private static Tensor Expand(Tensor better, Tensor weights) => better.view(better.shape[0], 1, 1).expand(weights.shape[0], weights.shape[1], weights.shape[2]);
}
