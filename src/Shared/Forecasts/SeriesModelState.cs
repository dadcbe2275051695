using MetaAnomaly.Shared.Series;

namespace MetaAnomaly.Shared.Forecasts;

public enum SeriesModelStatus
{
    /// <summary>Too little history to be served: not one support of points yet, or (without cold start) not enough to tell
    /// its period. No cluster, no forecasts.</summary>
    WarmingUp,

    /// <summary>Clustered, waiting for its cluster's meta-initialisation or its first adaptation.</summary>
    Pending,

    /// <summary>Adapted today: forecasts are served (by its cluster's model, or in cold start: <see cref="ServingStage"/>).</summary>
    Adapted,

    /// <summary>Something failed (model missing, adaptation failed): see the reason.</summary>
    Failed,
}

/// <summary>What serving knows of a series' model, for the detector and the dashboard.</summary>
public sealed record SeriesModelState(
    SeriesKey Key,
    SeriesModelStatus Status,
    string? ClusterId,
    int? Period,
    string? Learner,
    DateTimeOffset? AdaptedAt,
    double ResidualScale,
    string? Reason)
{
    /// <summary>How many regular slots before a target its one-step forecast reads (0 until adapted): a request's
    /// history should hold at least this many.</summary>
    public int HistoryNeeded { get; init; }

    /// <summary>Where its forecasts come from: a cluster's model, the cold start, or nothing yet.</summary>
    public ServingStage Stage { get; init; }

    /// <summary>The stage in words, for the dashboard and event reasons: "cold start: scored from ..., period not known
    /// yet" or "cluster p288-a"; null when not served.</summary>
    public string? StageDescription { get; init; }
}
