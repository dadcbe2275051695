using MetaAnomaly.Detection.Events;
using MetaAnomaly.Detection.Feedback;

namespace MetaAnomaly.Detection.Storage;

/// <summary>The node's own events: its anomaly store, and feedback through its <see cref="FeedbackService"/>.</summary>
internal sealed class LocalAnomalyDirectory(IAnomalyStore store, FeedbackService feedback) : IAnomalyDirectory
{
    public Task<AnomalyPage> ListAsync(AnomalyQuery query, CancellationToken cancellationToken) => store.ListAsync(query, cancellationToken);

    public Task<AnomalyEvent?> GetAsync(long id, CancellationToken cancellationToken) => store.GetAsync(id, cancellationToken);

    public Task<AnomalyEvent?> SubmitFeedbackAsync(long id, AnomalyFeedbackKind verdict, string? comment, string? author, CancellationToken cancellationToken) =>
        feedback.SubmitAsync(id, verdict, comment, author, cancellationToken);

    public Task<AnomalyEvent?> AcknowledgeAsync(long id, string? author, CancellationToken cancellationToken) =>
        feedback.AcknowledgeAsync(id, author, cancellationToken);

    public Task<AnomalyEvent?> SnoozeAsync(long id, TimeSpan duration, DateTimeOffset now, CancellationToken cancellationToken) =>
        feedback.SnoozeAsync(id, duration, now, cancellationToken);
}
