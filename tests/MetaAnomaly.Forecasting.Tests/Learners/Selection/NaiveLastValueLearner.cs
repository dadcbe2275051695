using MetaAnomaly.Forecasting.Episodes;
using MetaAnomaly.Forecasting.Learners;
using static TorchSharp.torch;

namespace MetaAnomaly.Forecasting.Tests.Learners.Selection;

/// <summary>
/// The naive forecast as a learner (the next value is the last lag; nothing is learned or adapted): the optimal
/// forecaster of a random walk and a poor one of a seasonal series, so it is a candidate whose rank is known.
/// On an anchored layout it predicts the last lag's deviation from the anchor.
/// </summary>
internal sealed class NaiveLastValueLearner(LearnerSettings settings, EpisodeLayout layout) : IMetaLearner
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

    public IAdaptedBatch Adapt(TaskSet support) => new LastValueBatch((int)support.TaskCount, layout);

    public IAdaptedBatch Restack(IReadOnlyList<AdaptedTaskState> states) => new LastValueBatch(states.Count, layout);

    public void Save(Stream destination) => destination.WriteByte(1);

    public void Load(Stream source) => source.ReadByte();

    public void Dispose()
    {
    }

    private sealed class LastValueBatch(int tasks, EpisodeLayout layout) : IAdaptedBatch
    {
        public int TaskCount => tasks;

        public Tensor Predict(Tensor queryInputs) => layout.Anchored
            ? queryInputs.select(2, layout.Lags - 1) - queryInputs.select(2, layout.AnchorIndex)
            : queryInputs.select(2, layout.Lags - 1).clone();

        public AdaptedTaskState Slice(int task) => new(LearnerName, []);

        public void Dispose()
        {
        }
    }

    public sealed class Factory(EpisodeLayout layout) : IMetaLearnerFactory
    {
        public string Name => LearnerName;

        public LearnerFamily Family => LearnerFamily.Model;

        public IMetaLearner Create(LearnerSettings settings) => new NaiveLastValueLearner(settings, layout);
    }
}
