namespace MetaAnomaly.Forecasting.Learners;

/// <summary>
/// The contract every meta-learner keeps (optimization, metric and model families alike):
/// meta-train on episodes, adapt to support sets, and hand serving a per-series state it can re-stack.
/// Implementations keep their tensors on <see cref="LearnerSettings.Device"/> and dispose what they create.
/// </summary>
public interface IMetaLearner : IDisposable
{
    string Name { get; }

    LearnerFamily Family { get; }

    LearnerSettings Settings { get; }

    /// <summary>
    /// One outer step: adapt to each episode's support, measure the loss on its query, update the meta-parameters.
    /// Returns the meta-batch's mean query loss before the update.
    /// </summary>
    double MetaTrainStep(EpisodeBatch batch);

    /// <summary>Adapts to each task's support set without building meta-gradients (serving, validation).</summary>
    IAdaptedBatch Adapt(TaskSet support);

    /// <summary>Re-stacks per-series states (from <see cref="IAdaptedBatch.Slice"/>) into one batch for serving.</summary>
    IAdaptedBatch Restack(IReadOnlyList<AdaptedTaskState> states);

    /// <summary>Writes the meta-state (initialisation and any learned update rule or encoder).</summary>
    void Save(Stream destination);

    void Load(Stream source);
}
