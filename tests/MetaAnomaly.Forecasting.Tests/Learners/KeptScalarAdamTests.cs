using MetaAnomaly.Forecasting.Learners;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace MetaAnomaly.Forecasting.Tests.Learners;

public sealed class KeptScalarAdamTests
{
    [Fact]
    public void StepsMatchTorchSharpAdamToTheBit()
    {
        using var kept = new Problem();
        using var reference = new Problem();
        using var keptAdam = new KeptScalarAdam(kept.Parameters, 0.01);
        using var torchAdam = optim.Adam(reference.Parameters, 0.01);
        for (var step = 0; step < 25; step++)
        {
            keptAdam.ZeroGrad();
            kept.Backward(step);
            keptAdam.Step();
            torchAdam.zero_grad();
            reference.Backward(step);
            torchAdam.step();
        }
        for (var i = 0; i < kept.Parameters.Length; i++)
        {
            Assert.True(kept.Parameters[i].eq(reference.Parameters[i]).all().item<bool>(), $"Parameter {i} differs.");
        }
        using var initial = new Problem();
        Assert.False(kept.Parameters[0].eq(initial.Parameters[0]).all().item<bool>(), "The steps moved nothing.");
    }

    [Fact]
    public void LeavesAParameterWithoutGradientAlone()
    {
        using var problem = new Problem();
        using var adam = new KeptScalarAdam(problem.Parameters, 0.01);
        using var before = problem.Unused.detach().clone();
        problem.Backward(0);
        adam.Step();
        Assert.Null(problem.Unused.grad);
        Assert.True(problem.Unused.eq(before).all().item<bool>());
    }

    /// <summary>A seeded least-squares fit with a gradient that changes every step, and one parameter it never uses.</summary>
    private sealed class Problem : IDisposable
    {
        private readonly Parameter _weights;
        private readonly Parameter _bias;

        public Problem()
        {
            using var generator = new Generator(3);
            _weights = new Parameter(randn([4, 3], generator: generator));
            _bias = new Parameter(randn([3], generator: generator));
            Unused = new Parameter(randn([2], generator: generator));
        }

        public Parameter Unused { get; }

        public Parameter[] Parameters => [_weights, _bias, Unused];

        public void Backward(int step)
        {
            using var scope = NewDisposeScope();
            using var generator = new Generator((ulong)(100 + step));
            var inputs = randn([8, 4], generator: generator);
            var targets = randn([8, 3], generator: generator);
            (inputs.matmul(_weights) - targets).pow(2).mean().add(_bias.pow(2).sum(), 1).backward();
        }

        public void Dispose()
        {
            foreach (var parameter in Parameters)
            {
                parameter.Dispose();
            }
        }
    }
}
