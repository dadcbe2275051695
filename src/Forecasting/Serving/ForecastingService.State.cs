using MetaAnomaly.Forecasting.Episodes;
using MetaAnomaly.Forecasting.Learners;
using MetaAnomaly.Forecasting.Learners.Selection;
using MetaAnomaly.Forecasting.ReadModel;
using MetaAnomaly.Forecasting.Registry;
using MetaAnomaly.Forecasting.Training;
using MetaAnomaly.Shared.Forecasts;
using MetaAnomaly.Shared.Series;

namespace MetaAnomaly.Forecasting.Serving;

public sealed partial class ForecastingService
{
    private enum RunKind
    {
        CatchUp,
        Full,
        Cluster,
        Retrain,
    }

    /// <summary>What serving knows of one series; replaced whole, never mutated.</summary>
    private sealed record SeriesEntry(
        SeriesKey Key,
        TimeSpan? Step,
        int? Period,
        IReadOnlyList<double> Profile,
        string? ClusterId,
        SeriesModelStatus Status,
        string? Reason,
        string? Learner = null,
        DateTimeOffset? AdaptedAt = null,
        double ResidualScale = double.NaN,
        ServingSlot? Slot = null,
        SeriesForecast? Forecast = null)
    {
        public SeriesModelState ToState() => new(Key, Status, ClusterId, Period, Learner, AdaptedAt, ResidualScale, Reason)
        {
            HistoryNeeded = Slot?.Cluster.Layout.Reach ?? 0,
        };
    }

    /// <summary>Where a series' adapted model lives: task <see cref="Task"/> of chunk <see cref="Chunk"/> of a cluster.</summary>
    private sealed record ServingSlot(ClusterServing Cluster, int Chunk, int Task, TaskNormalisation Normalisation);

    private sealed class ServedChunk(AdaptedChunk adapted)
    {
        public AdaptedChunk Adapted { get; } = adapted;

        public bool Disposed { get; private set; }

        public void Dispose()
        {
            Disposed = true;
            Adapted.Dispose();
        }
    }

    /// <summary>A cluster's adapted chunks. Catch-up appends chunks; a full adaptation replaces the whole object.</summary>
    private sealed class ClusterServing(EpisodeLayout layout, List<ServedChunk> chunks)
    {
        public EpisodeLayout Layout { get; } = layout;

        public List<ServedChunk> Chunks { get; } = chunks;

        public void DisposeChunks()
        {
            foreach (var chunk in Chunks)
            {
                chunk.Dispose();
            }
        }
    }

    private sealed class ClusterModel(IMetaLearner learner, EpisodeLayout layout)
    {
        public IMetaLearner Learner { get; } = learner;

        public EpisodeLayout Layout { get; } = layout;

        public ModelRecord? Record { get; set; }

        /// <summary>When this initialisation was made, or last checked against a refreshed one.</summary>
        public required DateTimeOffset RefreshedAt { get; set; }

        public double? ValidationError { get; set; }

        public MetaTrainingReport? Report { get; set; }

        /// <summary>Every candidate's score when the learner was chosen automatically; null when it was configured.</summary>
        public IReadOnlyList<CandidateScore>? Candidates { get; set; }
    }

    private sealed record TrainedModel(string ClusterId, ClusterModel Model, DateTimeOffset? DataFrom, DateTimeOffset? DataTo);

    private sealed class RunOutcome
    {
        public List<TrainedModel> Trained { get; } = [];

        public List<string> Errors { get; } = [];

        public int SeriesAdapted { get; set; }

        public int ClustersAdapted { get; set; }
    }
}
