using TorchSharp;
using static TorchSharp.torch;

namespace MetaAnomaly.Forecasting.Learners.Model.Snail;

/// <summary>
/// A SNAIL layer: reads its input channels and adds new ones (dense, the outputs are concatenated to the inputs).
/// It runs over a support sequence at once (causally) or for queries that stand right after a read support.
/// </summary>
internal abstract class SnailLayer(string name, long inputChannels, long newChannels) : nn.Module(name)
{
    public long InputChannels { get; } = inputChannels;

    public long NewChannels { get; } = newChannels;

    /// <summary>New channels [T, N, new] of each position of a sequence [T, N, C] from it and earlier positions.</summary>
    public abstract Tensor Sequence(Tensor sequence, Tensor mask);

    /// <summary>New channels [T, Q, new] of queries [T, Q, C], each placed right after its task's support [T, N, C].</summary>
    public abstract Tensor Query(Tensor queries, Tensor support, Tensor mask);
}
