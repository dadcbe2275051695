using MetaAnomaly.Forecasting.Learners;
using static TorchSharp.torch;

namespace MetaAnomaly.Forecasting.Tests.Serving;

/// <summary>An adapted batch whose every output is 0: the anchor (or, unanchored, the task mean) itself.</summary>
internal sealed class ZeroBatch(int tasks) : IAdaptedBatch
{
    public int TaskCount => tasks;

    public Tensor Predict(Tensor queryInputs) => zeros(queryInputs.shape[0], queryInputs.shape[1]);

    public AdaptedTaskState Slice(int task) => new("zero", []);

    public void Dispose()
    {
    }
}
