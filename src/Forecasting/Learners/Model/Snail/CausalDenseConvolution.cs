using MetaAnomaly.Forecasting.Engine;
using static TorchSharp.torch;

namespace MetaAnomaly.Forecasting.Learners.Model.Snail;

/// <summary>
/// SNAIL's dense block: a causal convolution of kernel 2 and dilation d with a gated activation,
/// tanh(W_f [h_{t-d}, h_t]) * sigmoid(W_g [h_{t-d}, h_t]); positions before the sequence read zeros.
/// </summary>
internal sealed class CausalDenseConvolution : SnailLayer
{
    private readonly SeededLinear current;
    private readonly SeededLinear lagged;
    private readonly long _dilation;

    public CausalDenseConvolution(string name, long inputChannels, long filters, long dilation, Generator generator)
        : base(name, inputChannels, filters)
    {
        current = new SeededLinear("current", inputChannels, 2 * filters, generator);
        lagged = new SeededLinear("lagged", inputChannels, 2 * filters, generator, hasBias: false);
        _dilation = dilation;
        RegisterComponents();
    }

    public override Tensor Sequence(Tensor sequence, Tensor mask)
    {
        var length = sequence.shape[1];
        var shifted = _dilation >= length
            ? zeros_like(sequence)
            : nn.functional.pad(sequence[.., ..(int)(length - _dilation)], [0, 0, _dilation, 0]);
        return Gate(current.forward(sequence).add(lagged.forward(shifted), KeptScalars.One));
    }

    public override Tensor Query(Tensor queries, Tensor support, Tensor mask)
    {
        var length = support.shape[1];
        var previous = _dilation > length
            ? zeros([queries.shape[0], 1, queries.shape[2]], device: queries.device)
            : support[.., (int)(length - _dilation)..(int)(length - _dilation + 1)];
        return Gate(current.forward(queries).add(lagged.forward(previous), KeptScalars.One));
    }

    private static Tensor Gate(Tensor both)
    {
        var parts = both.chunk(2, -1);
        return tanh(parts[0]) * sigmoid(parts[1]);
    }
}
