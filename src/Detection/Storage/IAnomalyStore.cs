using MetaAnomaly.Detection.Events;
using MetaAnomaly.Detection.Scoring;
using MetaAnomaly.Shared.Series;

namespace MetaAnomaly.Detection.Storage;

/// <summary>Anomaly events, per-point scores and feedback in the state database.</summary>
public interface IAnomalyStore
{
    /// <summary>Inserts the event or, when one with the same series and start exists, updates it. Returns it with its id.</summary>
    Task<AnomalyEvent> UpsertAsync(AnomalyEvent anomaly, CancellationToken cancellationToken);

    Task SaveScoresAsync(IReadOnlyList<(SeriesKey Key, ScoredPoint Point)> points, CancellationToken cancellationToken);

    Task<IReadOnlyList<ScoredPoint>> ScoresAsync(SeriesKey key, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken);

    Task PruneScoresAsync(DateTimeOffset before, CancellationToken cancellationToken);

    Task<AnomalyEvent?> GetAsync(long id, CancellationToken cancellationToken);

    Task<AnomalyPage> ListAsync(AnomalyQuery query, CancellationToken cancellationToken);

    /// <summary>
    /// Records a verdict and sets it on the event (<see cref="AnomalyFeedbackKind.None"/> clears it, the history keeps
    /// every verdict); returns the updated event, or null when it does not exist.
    /// </summary>
    Task<AnomalyEvent?> AddFeedbackAsync(long id, AnomalyFeedbackKind verdict, string? comment, string? author, CancellationToken cancellationToken);

    /// <summary>Marks the event acknowledged by <paramref name="author"/> now (the first acknowledgement stands); null when it does not exist.</summary>
    Task<AnomalyEvent?> AcknowledgeAsync(long id, string? author, CancellationToken cancellationToken);

    /// <summary>Holds the event's notifications back until <paramref name="until"/>; null when it does not exist.</summary>
    Task<AnomalyEvent?> SnoozeAsync(long id, DateTimeOffset until, CancellationToken cancellationToken);

    /// <summary>Per cluster: how many events were confirmed and dismissed.</summary>
    Task<IReadOnlyList<ClusterFeedback>> FeedbackByClusterAsync(CancellationToken cancellationToken);
}

/// <summary>Operators' verdicts on one cluster's events; precision = confirmed / (confirmed + dismissed).</summary>
public sealed record ClusterFeedback(string ClusterId, int Confirmed, int Dismissed)
{
    public double? Precision => Confirmed + Dismissed == 0 ? null : (double)Confirmed / (Confirmed + Dismissed);
}
