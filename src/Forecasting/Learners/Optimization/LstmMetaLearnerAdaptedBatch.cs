using static TorchSharp.torch;

namespace MetaAnomaly.Forecasting.Learners.Optimization;

/// <summary>T forecasters as the LSTM meta-learner left them: one flat weight vector per task, [T, P].</summary>
internal sealed class LstmMetaLearnerAdaptedBatch : IAdaptedBatch
{
    public const string WeightsArray = "weights";

    private readonly LstmMetaLearnerForecaster _forecaster;
    private readonly string _learner;
    private readonly Tensor _weights;

    public LstmMetaLearnerAdaptedBatch(string learner, LstmMetaLearnerForecaster forecaster, Tensor weights)
    {
        _learner = learner;
        _forecaster = forecaster;
        _weights = weights.detach().DetachFromDisposeScope();
    }

    public int TaskCount => (int)_weights.shape[0];

    public Tensor Predict(Tensor queryInputs)
    {
        using var noGrad = no_grad();
        return _forecaster.Forward(queryInputs, _weights);
    }

    public AdaptedTaskState Slice(int task)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(task);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(task, TaskCount);
        using var row = _weights[task].cpu();
        return new AdaptedTaskState(_learner, [new StateArray(WeightsArray, [row.shape[0]], row.data<float>().ToArray())]);
    }

    public void Dispose() => _weights.Dispose();
}
