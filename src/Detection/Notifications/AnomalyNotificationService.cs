using MetaAnomaly.Detection.Events;
using Microsoft.Extensions.Logging;

namespace MetaAnomaly.Detection.Notifications;

/// <summary>In-memory fan-out of event changes to subscribers (eShop's OrderStatusNotificationService pattern).</summary>
internal sealed partial class AnomalyNotificationService(ILogger<AnomalyNotificationService> logger) : IAnomalyNotifications
{
    private readonly Lock _gate = new();
    private readonly List<Func<EventChange, Task>> _handlers = [];

    public IDisposable Subscribe(Func<EventChange, Task> handler)
    {
        lock (_gate)
        {
            _handlers.Add(handler);
        }
        return new Subscription(this, handler);
    }

    public async Task PublishAsync(EventChange change)
    {
        Func<EventChange, Task>[] handlers;
        lock (_gate)
        {
            handlers = [.. _handlers];
        }
        foreach (var handler in handlers)
        {
            try
            {
                await handler(change);
            }
            catch (Exception exception)
            {
                LogHandlerFailed(exception, change.Event.Id);
            }
        }
    }

    private void Unsubscribe(Func<EventChange, Task> handler)
    {
        lock (_gate)
        {
            _handlers.Remove(handler);
        }
    }

    [LoggerMessage(LogLevel.Warning, "An anomaly subscriber failed on event {EventId}")]
    private partial void LogHandlerFailed(Exception exception, long eventId);

    private sealed class Subscription(AnomalyNotificationService owner, Func<EventChange, Task> handler) : IDisposable
    {
        public void Dispose() => owner.Unsubscribe(handler);
    }
}
