using TorchSharp;
using static TorchSharp.torch;

namespace MetaAnomaly.Forecasting.Engine;

/// <summary>
/// Initial parameter values with their Scalars held for the call (TorchSharp#1434, see <see cref="KeptScalars"/>):
/// every learner's set-up draws from here instead of writing <c>rand(...) * w - b</c> or <c>full(..., value)</c>.
/// </summary>
internal static class InitialValues
{
    /// <summary>U(-<paramref name="bound"/>, <paramref name="bound"/>) from <paramref name="generator"/>, on the CPU.</summary>
    public static Tensor Uniform(long[] shape, double bound, Generator generator)
    {
        using var width = (2 * bound).ToScalar();
        using var offset = bound.ToScalar();
        return rand(shape, generator: generator).mul_(width).sub_(offset);
    }

    /// <summary>A CPU tensor of <paramref name="shape"/> with every element <paramref name="value"/>.</summary>
    public static Tensor Filled(long[] shape, double value)
    {
        using var fill = value.ToScalar();
        return full(shape, fill);
    }

    /// <summary>A tensor shaped and placed like <paramref name="like"/> with every element <paramref name="value"/>.</summary>
    public static Tensor FilledLike(Tensor like, double value)
    {
        using var fill = value.ToScalar();
        return full_like(like, fill);
    }
}
