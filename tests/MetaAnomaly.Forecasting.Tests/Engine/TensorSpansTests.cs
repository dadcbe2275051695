using MetaAnomaly.Forecasting.Engine;
using static TorchSharp.torch;

namespace MetaAnomaly.Forecasting.Tests.Engine;

public sealed class TensorSpansTests
{
    [Fact]
    public void WritesLandInTheTensorAndReadsSeeIt()
    {
        using var tensor = zeros(2, 3);

        var span = TensorSpans.Of(tensor);
        span[4] = 7f;
        tensor[0, 1] = tensor[0, 1] + 2f;

        Assert.Equal([0f, 2f, 0f, 0f, 7f, 0f], tensor.data<float>().ToArray());
        Assert.Equal(2f, TensorSpans.Of(tensor)[1]);
    }

    [Fact]
    public void ANonContiguousOrNonFloatTensorIsRefused()
    {
        using var matrix = zeros(2, 3);
        using var transposed = matrix.t();
        using var integers = zeros([2], ScalarType.Int32);

        Assert.Throws<ArgumentException>(() => TensorSpans.Of(transposed));
        Assert.Throws<ArgumentException>(() => TensorSpans.Of(integers));
    }
}
