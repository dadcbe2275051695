using static TorchSharp.torch;

namespace MetaAnomaly.Forecasting.Learners;

/// <summary>The outcome of adapting a learner to T support sets: T forecasters that run as one batch.</summary>
public interface IAdaptedBatch : IDisposable
{
    int TaskCount { get; }

    /// <summary>Predicts the next normalised value for each query input: [T, Q, D] to [T, Q]. No gradients.</summary>
    Tensor Predict(Tensor queryInputs);

    /// <summary>The state of one task, copied off the device, for serving to keep for the day and persist.</summary>
    AdaptedTaskState Slice(int task);
}
