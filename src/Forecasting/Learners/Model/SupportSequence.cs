using MetaAnomaly.Forecasting.Engine;
using TorchSharp;
using static TorchSharp.torch;

namespace MetaAnomaly.Forecasting.Learners.Model;

/// <summary>
/// A support set as the sequence a model learner reads: unobserved pairs (gaps, masked anomalies, padding of shorter
/// supports) carry zeros instead of whatever the episode builder left there, so they can never reach a prediction.
/// </summary>
internal sealed record SupportSequence(Tensor Inputs, Tensor Targets, Tensor Mask)
{
    private static readonly Scalar IntegerZero = 0L.ToScalar();
    private static readonly Scalar IntegerOne = 1L.ToScalar();

    /// <summary>The support with unobserved pairs zeroed, in its original order.</summary>
    public static SupportSequence Clean(TaskSet support)
    {
        var observed = support.Mask.gt(KeptScalars.Zero);
        var mask = observed.to_type(ScalarType.Float32);
        var inputs = where(observed.unsqueeze(-1), nan_to_num(support.Inputs), 0f);
        var targets = where(observed, nan_to_num(support.Targets), 0f);
        return new SupportSequence(inputs, targets, mask);
    }

    /// <summary>
    /// The support with its observed pairs moved, in order, to the end of the sequence and the unobserved ones to the
    /// front: for a causal reader the last support pair then always sits right before the query, and a support of
    /// any length looks like a shorter sequence preceded by zero padding.
    /// </summary>
    public static SupportSequence RightAligned(TaskSet support)
    {
        var clean = Clean(support);
        var count = clean.Mask.shape[1];
        using var length = count.ToScalar();
        var position = arange(IntegerZero, length, IntegerOne, device: clean.Mask.device).to_type(ScalarType.Float32);
        var order = argsort(clean.Mask.mul(length).add(position, KeptScalars.One), dim: 1);
        return new SupportSequence(
            clean.Inputs.gather(1, order.unsqueeze(-1).expand_as(clean.Inputs)),
            clean.Targets.gather(1, order),
            clean.Mask.gather(1, order));
    }
}
