using MetaAnomaly.Detection.Events;
using MetaAnomaly.Detection.Notifications;
using MetaAnomaly.Detection.Scoring;
using MetaAnomaly.Detection.Storage;

namespace MetaAnomaly.Detection.Feedback;

/// <summary>Records an operator's verdict, updates the adaptation mask and retunes the event's cluster.</summary>
public sealed class FeedbackService
{
    private readonly IAnomalyStore _store;
    private readonly AnomalyAdaptationMask _mask;
    private readonly FeedbackThresholds _thresholds;
    private readonly IAnomalyNotifications _notifications;

    internal FeedbackService(IAnomalyStore store, AnomalyAdaptationMask mask, FeedbackThresholds thresholds, IAnomalyNotifications notifications)
    {
        _store = store;
        _mask = mask;
        _thresholds = thresholds;
        _notifications = notifications;
    }

    /// <summary>
    /// Returns the updated event, or null when no event has that id. <see cref="AnomalyFeedbackKind.None"/> clears an
    /// earlier verdict: the mask and the cluster's thresholds then follow the remaining verdicts.
    /// </summary>
    public async Task<AnomalyEvent?> SubmitAsync(long id, AnomalyFeedbackKind verdict, string? comment, string? author, CancellationToken cancellationToken)
    {
        var anomaly = await _store.AddFeedbackAsync(id, verdict, comment, author, cancellationToken);
        if (anomaly is null)
        {
            return null;
        }
        _mask.Track(anomaly);
        var cluster = anomaly.ClusterId ?? "";
        var feedback = (await _store.FeedbackByClusterAsync(cancellationToken)).FirstOrDefault(c => c.ClusterId == cluster);
        if (feedback is not null)
        {
            await _thresholds.TuneAsync(feedback, cancellationToken);
        }
        await _notifications.PublishAsync(new EventChange(EventChangeKind.Extended, anomaly));
        return anomaly;
    }

    /// <summary>Marks the event acknowledged (who, now): its escalations are no longer sent. Null when no event has that id.</summary>
    public async Task<AnomalyEvent?> AcknowledgeAsync(long id, string? author, CancellationToken cancellationToken)
    {
        var anomaly = await _store.AcknowledgeAsync(id, author, cancellationToken);
        if (anomaly is not null)
        {
            await _notifications.PublishAsync(new EventChange(EventChangeKind.Extended, anomaly));
        }
        return anomaly;
    }

    /// <summary>Holds the event's notifications back for <paramref name="duration"/> from now. Null when no event has that id.</summary>
    public async Task<AnomalyEvent?> SnoozeAsync(long id, TimeSpan duration, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var anomaly = await _store.SnoozeAsync(id, now + duration, cancellationToken);
        if (anomaly is not null)
        {
            await _notifications.PublishAsync(new EventChange(EventChangeKind.Extended, anomaly));
        }
        return anomaly;
    }

    /// <summary>Per cluster: verdict counts, precision and the thresholds now in force.</summary>
    public async Task<IReadOnlyList<ClusterPrecision>> PrecisionByClusterAsync(CancellationToken cancellationToken) =>
        (await _store.FeedbackByClusterAsync(cancellationToken))
            .Select(c => new ClusterPrecision(c.ClusterId, c.Confirmed, c.Dismissed, c.Precision, _thresholds.ThresholdsOf(c.ClusterId)))
            .ToArray();
}

public sealed record ClusterPrecision(string ClusterId, int Confirmed, int Dismissed, double? Precision, IReadOnlyDictionary<string, double> Thresholds);
