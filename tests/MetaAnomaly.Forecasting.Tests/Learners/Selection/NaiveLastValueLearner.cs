using MetaAnomaly.Forecasting.Learners;
using static TorchSharp.torch;

namespace MetaAnomaly.Forecasting.Tests.Learners.Selection;

/// <summary>
/// The naive forecast as a learner (the next value is the last lag; nothing is learned or adapted): the optimal
/// forecaster of a random walk and a poor one of a seasonal series, so it is a candidate whose rank is known.
/// </summary>
internal sealed class NaiveLastValueLearner(LearnerSettings settings, int lags) : IMetaLearner
{
    public const string LearnerName = "naive-last-value";

    public string Name => LearnerName;

    public LearnerFamily Family => LearnerFamily.Model;

    public LearnerSettings Settings => settings;

    public double MetaTrainStep(EpisodeBatch batch)
    {
        using var adapted = Adapt(batch.Support);
        using var forecasts = adapted.Predict(batch.Query.Inputs);
        using var loss = Forecasting.Engine.FunctionalMlp.TaskLosses(forecasts, batch.Query.Targets, batch.Query.Mask).mean();
        return loss.item<float>();
    }

    public IAdaptedBatch Adapt(TaskSet support) => new LastValueBatch((int)support.TaskCount, lags);

    public IAdaptedBatch Restack(IReadOnlyList<AdaptedTaskState> states) => new LastValueBatch(states.Count, lags);

    public void Save(Stream destination) => destination.WriteByte(1);

    public void Load(Stream source) => source.ReadByte();

    public void Dispose()
    {
    }

    private sealed class LastValueBatch(int tasks, int lags) : IAdaptedBatch
    {
        public int TaskCount => tasks;

        public Tensor Predict(Tensor queryInputs) => queryInputs.select(2, lags - 1).clone();

        public AdaptedTaskState Slice(int task) => new(LearnerName, []);

        public void Dispose()
        {
        }
    }

    public sealed class Factory(int lags) : IMetaLearnerFactory
    {
        public string Name => LearnerName;

        public LearnerFamily Family => LearnerFamily.Model;

        public IMetaLearner Create(LearnerSettings settings) => new NaiveLastValueLearner(settings, lags);
    }
}
