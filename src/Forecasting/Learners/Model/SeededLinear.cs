using MetaAnomaly.Forecasting.Engine;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace MetaAnomaly.Forecasting.Learners.Model;

/// <summary>
/// An affine layer whose weights are drawn from a caller's generator (PyTorch's default
/// U(-1/sqrt(fan_in), 1/sqrt(fan_in))), so a learner built with a seed is the same learner whatever else the process
/// draws from torch's global generator meanwhile.
/// </summary>
internal sealed class SeededLinear : nn.Module<Tensor, Tensor>
{
    private readonly Parameter weight;
    private readonly Parameter? bias;

    public SeededLinear(string name, long inputs, long outputs, Generator generator, bool hasBias = true)
        : base(name)
    {
        var bound = 1.0 / Math.Sqrt(inputs);
        weight = new Parameter(Uniform([outputs, inputs], bound, generator));
        bias = hasBias ? new Parameter(Uniform([outputs], bound, generator)) : null;
        RegisterComponents();
    }

    public Tensor Weight => weight;

    public override Tensor forward(Tensor input) => nn.functional.linear(input, weight, bias);

    /// <summary>Sets every bias to one value (a gate that starts mostly open or closed).</summary>
    public void FillBias(double value)
    {
        using var _ = no_grad();
        using var fill = value.ToScalar();
        (bias ?? throw new InvalidOperationException($"{GetName()} has no bias.")).fill_(fill);
    }

    private static Tensor Uniform(long[] shape, double bound, Generator generator)
    {
        using var scope = NewDisposeScope();
        return InitialValues.Uniform(shape, bound, generator).MoveToOuterDisposeScope();
    }
}
