using MetaAnomaly.Detection.Events;

namespace MetaAnomaly.Detection.Notifications;

/// <summary>
/// Live anomaly events for in-process listeners (the dashboard's circuits): subscribe, receive every change, dispose
/// the subscription to stop.
/// </summary>
public interface IAnomalyNotifications
{
    IDisposable Subscribe(Func<EventChange, Task> handler);

    Task PublishAsync(EventChange change);
}
