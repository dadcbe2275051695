using static TorchSharp.torch;

namespace MetaAnomaly.Forecasting.Learners.Model;

internal static class MaskedLoss
{
    /// <summary>Mean squared error over the observed pairs only; unobserved targets may hold NaN.</summary>
    public static Tensor MeanSquared(Tensor predictions, Tensor targets, Tensor mask)
    {
        var observed = mask > 0;
        var squared = where(observed, (predictions - nan_to_num(targets)).square(), 0f);
        return squared.sum() / observed.sum().clamp_min(1);
    }
}
