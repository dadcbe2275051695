using MetaAnomaly.Forecasting.Learners;

namespace MetaAnomaly.Forecasting.Episodes;

/// <summary>A meta-batch of episodes together with the per-task normalisation that produced it.</summary>
public sealed record Episode(EpisodeBatch Batch, IReadOnlyList<TaskNormalisation> Normalisations) : IDisposable
{
    public void Dispose() => Batch.Dispose();
}
