using MetaAnomaly.Forecasting.Engine;
using static TorchSharp.torch;

namespace MetaAnomaly.Forecasting.Learners.Metric;

/// <summary>The regression read-out shared by the metric learners that weight support targets.</summary>
internal static class SupportWeighting
{
    /// <summary>
    /// Softmax of <paramref name="scores"/> [T, Q, K] over the observed support pairs only, then the weighted sum of the
    /// support targets: a convex combination of the observed targets, [T, Q]. A task without observed support gets 0
    /// (its normalised mean).
    /// </summary>
    public static Tensor SoftmaxOfTargets(Tensor scores, EmbeddedSupport support)
    {
        using var scope = NewDisposeScope();
        return WeightedTargets(ObservedSoftmax(scores, support.Mask), support).MoveToOuterDisposeScope();
    }

    /// <summary>Softmax of scores [T, Q, K] over the observed pairs of mask [T, K]; all zero where none is observed.</summary>
    public static Tensor ObservedSoftmax(Tensor scores, Tensor mask)
    {
        using var scope = NewDisposeScope();
        var weights = scores.Fill(mask.unsqueeze(1).logical_not(), double.NegativeInfinity).softmax(-1);
        return weights.nan_to_num(0.0).MoveToOuterDisposeScope();
    }

    /// <summary>Weights [T, Q, K] times support targets [T, K], as one batched matrix product: [T, Q].</summary>
    public static Tensor WeightedTargets(Tensor weights, EmbeddedSupport support)
    {
        using var scope = NewDisposeScope();
        return bmm(weights, support.Targets.unsqueeze(-1)).squeeze(-1).MoveToOuterDisposeScope();
    }

    /// <summary>Mean of <paramref name="values"/> [T, K, E] over the observed pairs of <paramref name="mask"/> [T, K].</summary>
    public static Tensor ObservedMean(Tensor values, Tensor mask)
    {
        using var scope = NewDisposeScope();
        var weights = mask.to_type(values.dtype).unsqueeze(-1);
        var mean = (values * weights).sum(1) / weights.sum(1).clamp_min(KeptScalars.One);
        return mean.MoveToOuterDisposeScope();
    }
}
