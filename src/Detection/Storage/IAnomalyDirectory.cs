using MetaAnomaly.Detection.Events;

namespace MetaAnomaly.Detection.Storage;

/// <summary>
/// The anomaly events the dashboard and the API list and act on: on a single node its own store (and feedback through
/// its <see cref="Feedback.FeedbackService"/>); in a cluster every node's events, each acted on once for the cluster
/// and passed on to the node that scores its series.
/// </summary>
public interface IAnomalyDirectory
{
    Task<AnomalyPage> ListAsync(AnomalyQuery query, CancellationToken cancellationToken);

    Task<AnomalyEvent?> GetAsync(long id, CancellationToken cancellationToken);

    /// <summary>Records a verdict (<see cref="AnomalyFeedbackKind.None"/> clears it); the updated event, or null when none has that id.</summary>
    Task<AnomalyEvent?> SubmitFeedbackAsync(long id, AnomalyFeedbackKind verdict, string? comment, string? author, CancellationToken cancellationToken);

    /// <summary>Marks the event acknowledged (the first acknowledgement stands); null when none has that id.</summary>
    Task<AnomalyEvent?> AcknowledgeAsync(long id, string? author, CancellationToken cancellationToken);

    /// <summary>Holds the event's notifications back for <paramref name="duration"/> from <paramref name="now"/>; null when none has that id.</summary>
    Task<AnomalyEvent?> SnoozeAsync(long id, TimeSpan duration, DateTimeOffset now, CancellationToken cancellationToken);
}
