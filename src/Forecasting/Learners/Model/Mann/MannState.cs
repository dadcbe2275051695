using static TorchSharp.torch;

namespace MetaAnomaly.Forecasting.Learners.Model.Mann;

/// <summary>
/// The MANN's state between steps, for B sequences: controller [B, H], memory [B, S, W], usage and last read weights
/// [B, S], last read vector [B, W], and the last observed target with its flag [B, 1] (fed one step late).
/// </summary>
internal sealed record MannState(
    Tensor Hidden,
    Tensor Cell,
    Tensor Memory,
    Tensor Usage,
    Tensor ReadWeights,
    Tensor Read,
    Tensor LastTarget,
    Tensor HasTarget)
{
    public static readonly string[] Names =
        ["hidden", "cell", "memory", "usage", "readWeights", "read", "lastTarget", "hasTarget"];

    public IReadOnlyList<Tensor> Tensors => [Hidden, Cell, Memory, Usage, ReadWeights, Read, LastTarget, HasTarget];

    public static MannState From(IReadOnlyList<Tensor> tensors) =>
        new(tensors[0], tensors[1], tensors[2], tensors[3], tensors[4], tensors[5], tensors[6], tensors[7]);

    /// <summary>Where <paramref name="keep"/> [B] is true, this state; elsewhere <paramref name="other"/>.</summary>
    public MannState Where(Tensor keep, MannState other) =>
        From(Tensors.Zip(other.Tensors, (mine, theirs) =>
            where(keep.reshape([keep.shape[0], .. Enumerable.Repeat(1L, (int)mine.dim() - 1)]), mine, theirs)).ToList());

    /// <summary>Each sequence's state repeated <paramref name="copies"/> times: [B, ...] to [B * copies, ...].</summary>
    public MannState Repeat(long copies) =>
        From(Tensors.Select(t => t.repeat_interleave(copies, 0)).ToList());
}
