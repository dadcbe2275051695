using static TorchSharp.torch;

namespace MetaAnomaly.Forecasting.Learners.Optimization;

/// <summary>
/// The latest pairs of a support set, held out of the inner loop to stop it: the inner steps fit the earlier pairs,
/// and each task keeps the fast weights of the step (the initialisation included) that forecast its held-out pairs best.
/// </summary>
/// <remarks>
/// Meta-training and serving split the support the same way, so the inner loop meta-training differentiates through is
/// the one that runs each day.
/// </remarks>
public static class HeldOutTail
{
    /// <summary>How many of <paramref name="pairs"/> support pairs are held out for a share of <paramref name="share"/>:
    /// 0 when the share is 0 or the support has fewer than two pairs, else at least one and at most all but one.</summary>
    public static int Count(long pairs, double share) =>
        share <= 0 || pairs < 2 ? 0 : (int)Math.Clamp(Math.Round(share * pairs), 1, pairs - 1);

    /// <summary>The support mask [T, N] split into the pairs the inner steps fit and the last <paramref name="heldOut"/> that stop them.</summary>
    internal static (Tensor Fitted, Tensor HeldOut) Masks(Tensor mask, int heldOut)
    {
        using var scope = NewDisposeScope();
        var pairs = mask.shape[1];
        var fitted = mask.clone();
        fitted.narrow(1, pairs - heldOut, heldOut).zero_();
        var held = mask.sub(fitted);
        return (fitted.MoveToOuterDisposeScope(), held.MoveToOuterDisposeScope());
    }
}
