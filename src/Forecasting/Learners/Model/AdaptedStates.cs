using static TorchSharp.torch;

namespace MetaAnomaly.Forecasting.Learners.Model;

/// <summary>Moves support readings between the device batch and the per-series arrays that serving keeps.</summary>
internal static class AdaptedStates
{
    public static AdaptedTaskState Slice(string learner, IReadOnlyList<NamedState> state, int task)
    {
        using var scope = NewDisposeScope();
        var arrays = state.Select(s =>
        {
            var row = s.Value[task].detach().to_type(ScalarType.Float32).cpu().contiguous();
            return new StateArray(s.Name, row.shape, row.data<float>().ToArray());
        });
        return new AdaptedTaskState(learner, arrays.ToList());
    }

    /// <summary>
    /// Stacks per-series states into [T, ...] tensors on <paramref name="device"/>, owned by the caller. Arrays whose leading (sequence)
    /// length differs between series are padded with zeros at the front, which every model learner reads as
    /// unobserved support positions before the first one (their masks are zero there).
    /// </summary>
    public static IReadOnlyList<NamedState> Stack(string learner, IReadOnlyList<AdaptedTaskState> states, Device device)
    {
        if (states.Count == 0)
        {
            throw new ArgumentException("At least one state is needed to build a batch.", nameof(states));
        }
        var foreign = states.FirstOrDefault(s => s.Learner != learner);
        if (foreign is not null)
        {
            throw new ArgumentException($"A state made by '{foreign.Learner}' cannot be restacked by '{learner}'.", nameof(states));
        }
        var names = states[0].Arrays.Select(a => a.Name).ToArray();
        if (states.Any(s => !s.Arrays.Select(a => a.Name).SequenceEqual(names)))
        {
            throw new ArgumentException($"The '{learner}' states do not hold the same arrays ({string.Join(", ", names)}).", nameof(states));
        }
        using var scope = NewDisposeScope();
        return names
            .Select((name, i) => new NamedState(name, StackArray(name, states.Select(s => s.Arrays[i]).ToList(), device).DetachFromDisposeScope()))
            .ToList();
    }

    private static Tensor StackArray(string name, IReadOnlyList<StateArray> arrays, Device device)
    {
        var trailing = arrays[0].Shape.Skip(1).ToArray();
        if (arrays.Any(a => a.Shape.Length != arrays[0].Shape.Length || !a.Shape.Skip(1).SequenceEqual(trailing)))
        {
            throw new ArgumentException($"State array '{name}' has shapes that differ beyond its leading length.", nameof(arrays));
        }
        var length = arrays.Max(a => a.Shape.Length == 0 ? 0 : a.Shape[0]);
        var rows = arrays.Select(a =>
        {
            var row = tensor(a.Data, a.Shape);
            return a.Shape.Length == 0 || a.Shape[0] == length
                ? row
                : cat([zeros([length - a.Shape[0], .. trailing]), row], 0);
        }).ToList();
        return stack(rows, 0).to(device);
    }
}
