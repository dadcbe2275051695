namespace MetaAnomaly.Forecasting.Training;

/// <summary>
/// What a series in cold start is served from: the shared aperiodic initialisation (<paramref name="SharedFrom"/>, the
/// cluster it is the initialisation of) or, while none exists, the anchor alone (<see cref="Serving.AnchorLearner"/>).
/// </summary>
internal sealed record ColdStartModel(ClusterModel Model, string? SharedFrom)
{
    public string Description => SharedFrom is null
        ? "the previous-value anchor alone (no shared aperiodic model yet)"
        : $"the shared aperiodic model ({SharedFrom}'s {Model.Learner.Name} initialisation) with the previous-value anchor";
}
