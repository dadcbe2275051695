using TorchSharp;
using static TorchSharp.torch;

namespace MetaAnomaly.Forecasting.Engine;

/// <summary>
/// Native Scalars that live for the whole process, for the hot paths' scalar arguments. A Scalar made by implicit
/// conversion (or by an overload's default such as <c>add_</c>'s alpha) is left to the finalizer and can be collected
/// while the native call still reads it (TorchSharp 0.107, dotnet/TorchSharp#1434); the more threads allocate, the
/// sooner. Static fields stay rooted, and an immutable native Scalar can be read from any thread.
/// </summary>
internal static class KeptScalars
{
    public static readonly Scalar Zero = 0.0.ToScalar();

    public static readonly Scalar One = 1.0.ToScalar();

    public static readonly Scalar Two = 2.0.ToScalar();

    public static readonly Scalar MinusOne = (-1.0).ToScalar();
}
