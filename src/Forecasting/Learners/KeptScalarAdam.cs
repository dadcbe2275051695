using MetaAnomaly.Forecasting.Engine;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace MetaAnomaly.Forecasting.Learners;

/// <summary>
/// Adam with TorchSharp 0.107's defaults, computed by the same tensor operations in the same order as its
/// <c>optim.Adam</c> (the same results to the bit), but with every native Scalar held until the call that reads it
/// returns. <c>optim.Adam.step</c> makes its Scalars by implicit conversion and leaves them to the finalizer, which can
/// free one while the call still reads it (dotnet/TorchSharp#1434; see <see cref="KeptScalars"/>).
/// </summary>
/// <remarks>
/// Kingma and Ba, "Adam: A Method for Stochastic Optimization", ICLR 2015, as TorchSharp writes it for a parameter
/// with gradient g at its step t: m ← β₁ m + (1 − β₁) g, v ← β₂ v + (1 − β₂) g², and
/// θ ← θ − lr / (1 − β₁ᵗ) · m / (√v / √(1 − β₂ᵗ) + ε), with β₁ = 0.9, β₂ = 0.999, ε = 1e-8 and no weight decay.
/// A parameter without a gradient is skipped and its step count stays.
/// </remarks>
internal sealed class KeptScalarAdam : IDisposable
{
    private const double Beta1 = 0.9;
    private const double Beta2 = 0.999;
    private static readonly Scalar KeptBeta1 = Beta1.ToScalar();
    private static readonly Scalar KeptBeta2 = Beta2.ToScalar();
    private static readonly Scalar MeanWeight = (1 - Beta1).ToScalar();
    private static readonly Scalar SquareWeight = (1 - Beta2).ToScalar();
    private static readonly Scalar Epsilon = 1e-8.ToScalar();

    private readonly Parameter[] _parameters;
    private readonly Tensor[] _means;
    private readonly Tensor[] _squares;
    private readonly long[] _steps;
    private readonly double _learningRate;

    public KeptScalarAdam(IEnumerable<Parameter> parameters, double learningRate)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(learningRate);
        _parameters = parameters.ToArray();
        _means = _parameters.Select(p => zeros_like(p).DetachFromDisposeScope()).ToArray();
        _squares = _parameters.Select(p => zeros_like(p).DetachFromDisposeScope()).ToArray();
        _steps = new long[_parameters.Length];
        _learningRate = learningRate;
    }

    public void ZeroGrad()
    {
        foreach (var parameter in _parameters)
        {
            using var gradient = parameter.grad;
            gradient?.zero_();
        }
    }

    public void Step()
    {
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        for (var i = 0; i < _parameters.Length; i++)
        {
            var gradient = _parameters[i].grad;
            if (gradient is null)
            {
                continue;
            }
            _steps[i]++;
            var meanCorrection = 1 - Math.Pow(Beta1, _steps[i]);
            var squareCorrection = 1 - Math.Pow(Beta2, _steps[i]);
            _means[i].mul_(KeptBeta1).add_(gradient, MeanWeight);
            _squares[i].mul_(KeptBeta2).addcmul_(gradient, gradient.conj(), SquareWeight);
            using var squareScale = Math.Sqrt(squareCorrection).ToScalar();
            var denominator = _squares[i].sqrt().div(squareScale).add_(Epsilon, KeptScalars.One);
            using var stepSize = (-(_learningRate / meanCorrection)).ToScalar();
            _parameters[i].addcdiv_(_means[i], denominator, stepSize);
        }
    }

    public void Dispose()
    {
        foreach (var moment in _means.Concat(_squares))
        {
            moment.Dispose();
        }
    }
}
