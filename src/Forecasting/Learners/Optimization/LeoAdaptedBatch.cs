using static TorchSharp.torch;

namespace MetaAnomaly.Forecasting.Learners.Optimization;

/// <summary>T forecasters as LEO left them: the shared trunk (a snapshot) and one decoded, fine-tuned output layer per task.</summary>
internal sealed class LeoAdaptedBatch : IAdaptedBatch
{
    public const string HeadArray = "head";

    private readonly string _learner;
    private readonly IReadOnlyList<Tensor> _trunk;
    private readonly Tensor _heads;

    public LeoAdaptedBatch(string learner, IReadOnlyList<Tensor> trunk, Tensor heads)
    {
        _learner = learner;
        _trunk = trunk;
        _heads = heads.detach();
        foreach (var part in _trunk)
        {
            part.DetachFromDisposeScope();
        }
        _heads.DetachFromDisposeScope();
    }

    public int TaskCount => (int)_heads.shape[0];

    public Tensor Predict(Tensor queryInputs)
    {
        using var noGrad = no_grad();
        return Leo.Forecast(queryInputs, _trunk, _heads);
    }

    public AdaptedTaskState Slice(int task)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(task);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(task, TaskCount);
        using var row = _heads[task].cpu();
        return new AdaptedTaskState(_learner, [new StateArray(HeadArray, [row.shape[0]], row.data<float>().ToArray())]);
    }

    public void Dispose()
    {
        _heads.Dispose();
        foreach (var part in _trunk)
        {
            part.Dispose();
        }
    }
}
