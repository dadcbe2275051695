using TorchSharp;
using static TorchSharp.torch;

namespace MetaAnomaly.Forecasting.Engine;

/// <summary>
/// <c>masked_fill</c> with a fill value whose native Scalar lives until the call returns. A Scalar made by implicit
/// conversion is left to the finalizer; in optimised builds it can be collected while the native call still reads it
/// (seen as "Expected false to be true" from c10 Scalar::toFloat in the Release benchmark).
/// </summary>
internal static class MaskedFill
{
    public static Tensor Fill(this Tensor values, Tensor mask, double value)
    {
        using var scalar = value.ToScalar();
        return values.masked_fill(mask, scalar);
    }
}
