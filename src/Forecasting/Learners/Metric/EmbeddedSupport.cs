using MetaAnomaly.Forecasting.Engine;
using static TorchSharp.torch;

namespace MetaAnomaly.Forecasting.Learners.Metric;

/// <summary>
/// A metric learner's adapted state for T tasks: the support windows' embeddings [T, K, E], their targets [T, K] and
/// the observed-pair mask [T, K] (bool). Unobserved pairs have zero embedding and zero target, so a gap's NaN never
/// reaches a prediction; every learner also weights them by zero.
/// </summary>
internal sealed class EmbeddedSupport : IDisposable
{
    private const string EmbeddingsName = "support_embeddings";
    private const string TargetsName = "support_targets";
    private const string MaskName = "support_mask";

    public EmbeddedSupport(Tensor embeddings, Tensor targets, Tensor mask)
    {
        Embeddings = embeddings;
        Targets = targets;
        Mask = mask;
    }

    public Tensor Embeddings { get; }

    public Tensor Targets { get; }

    public Tensor Mask { get; }

    public int TaskCount => (int)Embeddings.shape[0];

    /// <summary>The observed-pair mask of a task set as bool, and its targets with unobserved ones set to zero.</summary>
    public static (Tensor Mask, Tensor Targets) ObservedTargets(TaskSet set)
    {
        var observed = set.Mask.gt(KeptScalars.Zero);
        return (observed, set.Targets.Fill(observed.logical_not(), 0));
    }

    /// <summary>The inputs of a task set with unobserved pairs zeroed (gaps may hold NaN).</summary>
    public static Tensor ObservedInputs(TaskSet set, Tensor observed) =>
        set.Inputs.Fill(observed.logical_not().unsqueeze(-1), 0);

    public EmbeddedSupport MoveToOuterDisposeScope()
    {
        Embeddings.MoveToOuterDisposeScope();
        Targets.MoveToOuterDisposeScope();
        Mask.MoveToOuterDisposeScope();
        return this;
    }

    /// <summary>Takes the tensors out of every dispose scope: the caller owns them until <see cref="Dispose"/>.</summary>
    public EmbeddedSupport DetachFromDisposeScope()
    {
        Embeddings.DetachFromDisposeScope();
        Targets.DetachFromDisposeScope();
        Mask.DetachFromDisposeScope();
        return this;
    }

    public AdaptedTaskState Slice(string learner, int task)
    {
        using var scope = NewDisposeScope();
        var embeddings = Embeddings[task].cpu();
        var targets = Targets[task].cpu();
        var mask = Mask[task].to_type(ScalarType.Float32).cpu();
        return new AdaptedTaskState(learner,
        [
            new StateArray(EmbeddingsName, embeddings.shape, embeddings.data<float>().ToArray()),
            new StateArray(TargetsName, targets.shape, targets.data<float>().ToArray()),
            new StateArray(MaskName, mask.shape, mask.data<float>().ToArray()),
        ]);
    }

    /// <summary>
    /// Stacks per-series states into one batch on <paramref name="device"/>. Series with fewer support pairs are
    /// padded with unobserved pairs, which carry no weight.
    /// </summary>
    public static EmbeddedSupport Restack(string learner, int embeddingSize, IReadOnlyList<AdaptedTaskState> states, Device device)
    {
        if (states.Count == 0)
        {
            throw new ArgumentException("Restack needs at least one state.", nameof(states));
        }
        var parts = states.Select((state, i) => ReadState(learner, embeddingSize, state, i)).ToArray();
        var pairs = parts.Max(p => p.Targets.Length);
        var embeddings = new float[states.Count * pairs * embeddingSize];
        var targets = new float[states.Count * pairs];
        var mask = new float[states.Count * pairs];
        for (var t = 0; t < parts.Length; t++)
        {
            parts[t].Embeddings.CopyTo(embeddings, t * pairs * embeddingSize);
            parts[t].Targets.CopyTo(targets, t * pairs);
            parts[t].Mask.CopyTo(mask, t * pairs);
        }
        using var scope = NewDisposeScope();
        return new EmbeddedSupport(
            tensor(embeddings, [states.Count, pairs, embeddingSize], device: device),
            tensor(targets, [states.Count, pairs], device: device),
            tensor(mask, [states.Count, pairs], device: device).gt(KeptScalars.Zero)).MoveToOuterDisposeScope();
    }

    private static (float[] Embeddings, float[] Targets, float[] Mask) ReadState(
        string learner, int embeddingSize, AdaptedTaskState state, int index)
    {
        if (state.Learner != learner)
        {
            throw new ArgumentException($"State {index} was made by '{state.Learner}', not '{learner}'.", nameof(state));
        }
        var embeddings = Find(state, EmbeddingsName, index);
        var targets = Find(state, TargetsName, index);
        var mask = Find(state, MaskName, index);
        var pairs = targets.Data.Length;
        if (embeddings.Data.Length != pairs * embeddingSize || mask.Data.Length != pairs)
        {
            throw new ArgumentException(
                $"State {index} does not hold {pairs} support pairs of embedding size {embeddingSize}.", nameof(state));
        }
        return (embeddings.Data, targets.Data, mask.Data);
    }

    private static StateArray Find(AdaptedTaskState state, string name, int index) =>
        state.Arrays.FirstOrDefault(a => a.Name == name)
        ?? throw new ArgumentException($"State {index} has no '{name}' array.", nameof(state));

    public void Dispose()
    {
        Embeddings.Dispose();
        Targets.Dispose();
        Mask.Dispose();
    }
}
