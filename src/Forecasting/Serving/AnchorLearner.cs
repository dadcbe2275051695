using MetaAnomaly.Forecasting.Engine;
using MetaAnomaly.Forecasting.Learners;
using static TorchSharp.torch;

namespace MetaAnomaly.Forecasting.Serving;

/// <summary>
/// The anchor alone as a learner: no parameters, nothing meta-trained or adapted, every forecast a zero deviation from
/// the anchor (on the aperiodic layout, the previous value). What a series in cold start is served from while no
/// shared aperiodic initialisation exists; it goes through the same adaptation, residual scale and serving as a model.
/// </summary>
internal sealed class AnchorLearner(LearnerSettings settings) : IMetaLearner
{
    public const string LearnerName = "anchor";

    public string Name => LearnerName;

    public LearnerFamily Family => LearnerFamily.Model;

    public LearnerSettings Settings => settings;

    /// <summary>The query loss of the anchor; nothing to update.</summary>
    public double MetaTrainStep(EpisodeBatch batch)
    {
        using var scope = NewDisposeScope();
        return FunctionalMlp.TaskLosses(zeros_like(batch.Query.Targets), batch.Query.Targets, batch.Query.Mask).mean().item<float>();
    }

    public IAdaptedBatch Adapt(TaskSet support) => new AnchorBatch((int)support.TaskCount);

    public IAdaptedBatch Restack(IReadOnlyList<AdaptedTaskState> states) => new AnchorBatch(states.Count);

    /// <summary>No meta-state to write.</summary>
    public void Save(Stream destination)
    {
    }

    public void Load(Stream source)
    {
    }

    public void Dispose()
    {
    }

    /// <summary>T series forecast by their anchor: every output 0.</summary>
    private sealed class AnchorBatch(int tasks) : IAdaptedBatch
    {
        public int TaskCount => tasks;

        public Tensor Predict(Tensor queryInputs) => zeros([queryInputs.shape[0], queryInputs.shape[1]], device: queryInputs.device);

        public AdaptedTaskState Slice(int task) => new(LearnerName, []);

        public void Dispose()
        {
        }
    }
}
