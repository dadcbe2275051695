using static TorchSharp.torch;

namespace MetaAnomaly.Forecasting.Learners;

/// <summary>
/// A batch of T forecasting tasks (series), N input/target pairs each, already normalised per task.
/// Inputs are [T, N, D] (D = lag window plus phase features), targets [T, N], mask [T, N] with 1 where the pair is
/// observed and 0 where it falls in a gap or a masked anomaly (masked pairs contribute no loss and no evidence).
/// </summary>
public sealed record TaskSet(Tensor Inputs, Tensor Targets, Tensor Mask) : IDisposable
{
    public long TaskCount => Inputs.shape[0];

    public long PairCount => Inputs.shape[1];

    public long FeatureCount => Inputs.shape[2];

    public void Dispose()
    {
        Inputs.Dispose();
        Targets.Dispose();
        Mask.Dispose();
    }
}
