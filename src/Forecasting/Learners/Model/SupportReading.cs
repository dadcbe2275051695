using static TorchSharp.torch;

namespace MetaAnomaly.Forecasting.Learners.Model;

/// <summary>
/// A model learner's adapted batch: what its network read from each task's support (memory, activations or
/// fast-weight memory), held as named [T, ...] tensors, and the read-out of queries against it.
/// Each query is read out on its own against the support state: queries never see each other.
/// </summary>
internal abstract class SupportReading(string learner, IReadOnlyList<NamedState> state) : IAdaptedBatch
{
    public int TaskCount => (int)state[0].Value.shape[0];

    protected Tensor this[string name] => state.First(s => s.Name == name).Value;

    /// <summary>Differentiable read-out: query inputs [T, Q, D] (already free of NaN) to predictions [T, Q].</summary>
    public abstract Tensor Forward(Tensor queryInputs);

    public Tensor Predict(Tensor queryInputs)
    {
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        if (queryInputs.shape[0] != TaskCount)
        {
            throw new ArgumentException($"Expected query inputs for {TaskCount} tasks, got {queryInputs.shape[0]}.", nameof(queryInputs));
        }
        return Forward(nan_to_num(queryInputs.to(state[0].Value.device))).MoveToOuterDisposeScope();
    }

    public AdaptedTaskState Slice(int task)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(task);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(task, TaskCount);
        return AdaptedStates.Slice(learner, state, task);
    }

    /// <summary>Takes the state tensors out of the caller's dispose scope: this reading now owns them.</summary>
    public void Keep()
    {
        foreach (var s in state)
        {
            s.Value.DetachFromDisposeScope();
        }
    }

    public void Dispose()
    {
        foreach (var s in state)
        {
            s.Value.Dispose();
        }
    }
}
