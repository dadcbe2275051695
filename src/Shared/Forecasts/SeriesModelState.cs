using MetaAnomaly.Shared.Series;

namespace MetaAnomaly.Shared.Forecasts;

public enum SeriesModelStatus
{
    /// <summary>Not yet one full period of history: no period, no cluster, no forecasts.</summary>
    WarmingUp,

    /// <summary>Clustered, waiting for its cluster's meta-initialisation or its first adaptation.</summary>
    Pending,

    /// <summary>Adapted today: forecasts are served.</summary>
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
}
