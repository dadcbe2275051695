using TorchSharp;
using static TorchSharp.torch;

namespace MetaAnomaly.Forecasting.Tests;

public sealed class TorchRuntimeTests
{
    [Fact]
    public void TorchInitialisesAndComputesSecondOrderGradient()
    {
        using var scope = NewDisposeScope();
        var x = tensor(new[] { 1.5f, -2.0f }, requires_grad: true);
        var y = (x * x * x).sum();

        var first = autograd.grad([y], [x], create_graph: true, retain_graph: true)[0];
        var second = autograd.grad([first.sum()], [x], retain_graph: true)[0];

        Assert.Equal(new[] { 6.75f, 12.0f }, first.data<float>().ToArray());
        Assert.Equal(new[] { 9.0f, -12.0f }, second.data<float>().ToArray());
    }
}
