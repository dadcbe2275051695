using MetaAnomaly.Detection.Notifications;

namespace MetaAnomaly.Detection.Sinks;

/// <summary>Publishes every stored event change to the live listeners (the dashboard's circuits).</summary>
internal sealed class LiveNotificationSink(IAnomalyNotifications notifications) : IDetectionSink
{
    public async Task HandleAsync(ScoringTick tick, CancellationToken cancellationToken)
    {
        foreach (var change in tick.Changes)
        {
            await notifications.PublishAsync(change);
        }
    }
}
