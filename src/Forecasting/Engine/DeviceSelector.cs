using TorchSharp;
using static TorchSharp.torch;

namespace MetaAnomaly.Forecasting.Engine;

/// <summary>Turns <c>Forecasting:Device</c> into a TorchSharp device: auto = CUDA when TorchSharp sees it, else CPU.</summary>
public static class DeviceSelector
{
    public static Device Select(string option) => option switch
    {
        "cpu" => CPU,
        "cuda" when cuda.is_available() => CUDA,
        "cuda" => throw new InvalidOperationException(
            "Forecasting:Device is 'cuda' but TorchSharp sees no CUDA device. Build with -p:TorchBackend=cuda on a host with a GPU, or set Forecasting:Device to auto or cpu."),
        "auto" => cuda.is_available() ? CUDA : CPU,
        _ => throw new ArgumentException($"Forecasting:Device must be auto, cpu or cuda (got '{option}')."),
    };

    /// <summary>The configured chunk size, or the device's default (measured: 64 to 1024 series per batch is the CPU's sweet spot).</summary>
    public static int ChunkSize(Device device, int configured, int cpuDefault, int cudaDefault) =>
        configured > 0 ? configured : device.type == DeviceType.CUDA ? cudaDefault : cpuDefault;
}
