using MetaAnomaly.Forecasting.Learners;
using static TorchSharp.torch;

namespace MetaAnomaly.Forecasting.Serving;

/// <summary>
/// An adapted batch whose series that fitted their own support worse than their anchor alone output 0 instead: their
/// forecast is the anchor (seasonal naive, or the task mean on a level layout). Owns <paramref name="model"/>, which
/// predicts on <paramref name="device"/>.
/// </summary>
/// <remarks>
/// On the NAB development split the adapted correction forecast worse than its anchor on 328 of 549 file-days, and
/// serving the anchor on those days was worth 4 to 7 points. <see cref="Slice"/> returns the adapted model's own state:
/// the fallback is a serving decision, remade at every adaptation.
/// </remarks>
public sealed class AnchorFallback(IAdaptedBatch model, IReadOnlyList<bool> anchorOnly, Device device) : IAdaptedBatch
{
    private readonly Tensor _keep = KeepMask(anchorOnly, device);

    public int TaskCount => model.TaskCount;

    public IReadOnlyList<bool> AnchorOnly { get; } = anchorOnly;

    /// <summary>The adapted model behind the fallback, as it would forecast every series.</summary>
    public IAdaptedBatch Adapted => model;

    public Tensor Predict(Tensor queryInputs)
    {
        using var scope = NewDisposeScope();
        return model.Predict(queryInputs).mul(_keep).MoveToOuterDisposeScope();
    }

    public AdaptedTaskState Slice(int task) => model.Slice(task);

    public void Dispose()
    {
        _keep.Dispose();
        model.Dispose();
    }

    private static Tensor KeepMask(IReadOnlyList<bool> anchorOnly, Device device)
    {
        using var scope = NewDisposeScope();
        return tensor(anchorOnly.Select(a => a ? 0f : 1f).ToArray(), [anchorOnly.Count, 1]).to(device).DetachFromDisposeScope();
    }
}
