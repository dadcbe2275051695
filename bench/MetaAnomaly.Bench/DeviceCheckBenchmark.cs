using System.Diagnostics;
using MetaAnomaly.Forecasting.Learners;
using TorchSharp;
using static TorchSharp.torch;

namespace MetaAnomaly.Bench;

/// <summary>
/// Does TorchSharp run here, on which device, and do the operations the engine uses agree between CPU and the device?
/// Runs bmm, add_, relu and a second-order autograd.grad on CPU and (when present) CUDA with the same seeded inputs,
/// then every registered learner on both devices (<see cref="LearnerDeviceParity"/>).
/// </summary>
public sealed class DeviceCheckBenchmark : IBenchmark
{
    public string Name => "device";

    public string Description => "TorchSharp device check: CUDA availability, engine ops on CPU and CUDA, equality";

    public Task<BenchmarkResult> RunAsync(IReadOnlyList<string> arguments, TextWriter output, CancellationToken cancellationToken)
    {
        var cudaAvailable = torch.cuda.is_available();
        output.WriteLine($"TorchSharp {typeof(torch).Assembly.GetName().Version}, libtorch {torch.__version__}, " +
                         $"CUDA available: {cudaAvailable}, CUDA devices: {(cudaAvailable ? torch.cuda.device_count() : 0)}");

        var reference = RunEngineOps(CPU);
        var table = new ResultTable("device", "ops", "max |diff| vs cpu", "ms");
        table.AddRow("cpu", "ok", 0.0, reference.Milliseconds);
        var result = new BenchmarkResult().Add("cuda_available", cudaAvailable ? "true" : "false");
        if (cudaAvailable)
        {
            var onCuda = RunEngineOps(CUDA);
            var maxDiff = reference.Values.Zip(onCuda.Values, (a, b) => Math.Abs(a - b)).Max();
            table.AddRow("cuda", "ok", maxDiff, onCuda.Milliseconds);
            result.Add("max_abs_diff", maxDiff, "G3");
        }
        output.Write(table);
        if (cudaAvailable)
        {
            var learners = LearnerDeviceParity.Compare(MetaLearnerRegistry.CreateDefault(), output);
            output.WriteLine();
            output.Write(learners);
        }
        return Task.FromResult(result);
    }

    private static (float[] Values, double Milliseconds) RunEngineOps(Device device)
    {
        using var scope = NewDisposeScope();
        var clock = Stopwatch.StartNew();
        var generator = new Generator(7, CPU);
        var x = rand([64, 24, 26], generator: generator).to(device);
        var weights = (rand([64, 26, 40], generator: generator) - 0.5f).to(device).requires_grad_();
        var bias = (rand([64, 1, 40], generator: generator) - 0.5f).to(device).requires_grad_();

        var hidden = bmm(x, weights).add_(bias).relu();
        var loss = hidden.pow(2).mean();
        var gradient = autograd.grad([loss], [weights], create_graph: true, retain_graph: true)[0];
        var secondOrder = autograd.grad([gradient.pow(2).sum()], [bias], retain_graph: true)[0];

        var values = hidden.flatten().cpu().data<float>().Take(256)
            .Concat(gradient.flatten().cpu().data<float>().Take(256))
            .Concat(secondOrder.flatten().cpu().data<float>().Take(256))
            .ToArray();
        return (values, clock.Elapsed.TotalMilliseconds);
    }
}
