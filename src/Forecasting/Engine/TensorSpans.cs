using System.Runtime.InteropServices;
using TorchSharp;
using static TorchSharp.torch;

namespace MetaAnomaly.Forecasting.Engine;

/// <summary>
/// A contiguous float32 CPU tensor's elements as a span over its own memory: written or read in place, with no managed
/// copy (<c>data&lt;float&gt;().ToArray()</c> allocates one per call, and a fresh large array costs page faults).
/// </summary>
internal static class TensorSpans
{
    /// <summary>The elements of <paramref name="tensor"/>, which must be a contiguous float32 tensor on the CPU and must
    /// outlive the span.</summary>
    public static Span<float> Of(Tensor tensor)
    {
        if (tensor.dtype != ScalarType.Float32 || tensor.device_type != DeviceType.CPU || !tensor.is_contiguous())
        {
            throw new ArgumentException($"A span needs a contiguous float32 CPU tensor, not {tensor.dtype} on {tensor.device_type}.", nameof(tensor));
        }
        return MemoryMarshal.Cast<byte, float>(tensor.bytes);
    }
}
