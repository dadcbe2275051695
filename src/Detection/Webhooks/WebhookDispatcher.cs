using System.Collections.Concurrent;
using MetaAnomaly.Detection.Events;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using MetaAnomaly.Shared.Telemetry;

namespace MetaAnomaly.Detection.Webhooks;

/// <summary>
/// Delivers the persisted outbox: every poll, each endpoint with due deliveries is served by its own task (so a slow or
/// dead endpoint never holds the others back), oldest first, with retries on the <see cref="RetrySchedule"/> (exponential
/// backoff with jitter up to <c>MaxBackoff</c>) until the delivery's <c>RetryHorizon</c> has passed, then dead-lettered
/// (at once on 410 Gone). A per-endpoint <see cref="CircuitBreaker"/> slows a failing endpoint down to one probe per
/// <c>MaxBackoff</c> rather than giving up. A timed-out (hung) request is one failed attempt, retried with the same
/// idempotency key. A failing endpoint is logged in one line per failed attempt, with the reason; the explanation and
/// any stack trace once per change of reason (<see cref="FailureLogGate"/>), and its recovery once. Because the queue is in the database, deliveries pending at shutdown go out after the next start
/// (at least once; receivers deduplicate on the Idempotency-Key header).
/// </summary>
public sealed partial class WebhookDispatcher : BackgroundService
{
    private readonly WebhookEndpointStore _endpoints;
    private readonly WebhookDeliveryStore _deliveries;
    private readonly IWebhookQueue _queue;
    private readonly WebhookSender _sender;
    private readonly DashboardLink _link;
    private readonly IOptions<DetectionOptions> _options;
    private readonly TimeProvider _time;
    private readonly ILogger<WebhookDispatcher> _logger;
    private readonly CircuitBreaker _breaker;
    private readonly RetrySchedule _schedule;
    private readonly ConcurrentDictionary<long, Task> _inFlight = new();
    private readonly FailureLogGate _attemptLog = new();
    private readonly FailureLogGate _loopLog = new();

    private const long PollKey = 0;

    internal WebhookDispatcher(
        WebhookEndpointStore endpoints, WebhookDeliveryStore deliveries, WebhookSender sender, DashboardLink link, IOptions<DetectionOptions> options,
        TimeProvider time, ILogger<WebhookDispatcher> logger, IWebhookQueue? queue = null)
    {
        _endpoints = endpoints;
        _deliveries = deliveries;
        _queue = queue ?? deliveries;
        _sender = sender;
        _link = link;
        _options = options;
        _time = time;
        _logger = logger;
        var settings = options.Value.Webhooks;
        _breaker = new CircuitBreaker(settings.BreakerFailures, settings.MaxBackoff);
        _schedule = new RetrySchedule(settings.InitialBackoff, settings.MaxBackoff, settings.RetryHorizon);
    }

    private WebhookOptions Settings => _options.Value.Webhooks;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await _endpoints.SyncConfiguredAsync(Settings.Endpoints, stoppingToken);
            await ForgetDeletedEndpointsAsync(stoppingToken);
            while (!stoppingToken.IsCancellationRequested)
            {
                try
                {
                    await StartDueAsync(stoppingToken);
                    _loopLog.Ended(PollKey);
                }
                catch (Exception exception) when (exception is not OperationCanceledException)
                {
                    if (_loopLog.Changed(PollKey, exception.Message))
                    {
                        LogPollFailed(exception);
                    }
                    else
                    {
                        LogPollFailedAgain(exception.Message);
                    }
                }
                await Task.Delay(Settings.PollInterval, _time, stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        finally
        {
            await Task.WhenAll(_inFlight.Values);
        }
    }

    /// <summary>Starts a task for every endpoint that has due deliveries and none in flight; returns them.</summary>
    internal async Task<IReadOnlyList<Task>> StartDueAsync(CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow();
        var due = await _queue.DueAsync(now, 500, cancellationToken);
        ProductMetrics.WebhooksDue(due.Count);
        if (due.Count == 0)
        {
            return [];
        }
        var targets = (await _endpoints.ListAsync(cancellationToken)).ToDictionary(t => t.Id);
        var started = new List<Task>();
        foreach (var group in due.GroupBy(d => d.EndpointId))
        {
            if (!targets.TryGetValue(group.Key, out var target) || _breaker.IsOpen(target.Id, now) || _inFlight.ContainsKey(target.Id))
            {
                continue;
            }
            var deliveries = group.ToArray();
            var task = Task.Run(() => DeliverAsync(target, deliveries, cancellationToken), CancellationToken.None);
            _inFlight[target.Id] = task;
            started.Add(task.ContinueWith(_ => _inFlight.TryRemove(target.Id, out var _), TaskScheduler.Default));
        }
        return started;
    }

    /// <summary>Sends one test payload to an endpoint now, outside the queue; returns the attempt.</summary>
    internal async Task<DeliveryAttempt?> SendTestAsync(long endpointId, CancellationToken cancellationToken)
    {
        if (await _endpoints.GetAsync(endpointId, cancellationToken) is not { } target)
        {
            return null;
        }
        var now = _time.GetUtcNow();
        var sample = new AnomalyEvent(0, "metaanomaly_test,source=webhook#value", null, now, now, now, 42, 10, 8, 12, 16, 0.999999,
            AnomalySeverity.High, AnomalyDirection.Up, "test", false, 1, AnomalyFeedbackKind.None, now);
        var payload = WebhookPayload.Create(sample, WebhookPayload.TestType, _link.BaseUrl, now);
        var outcome = await _sender.SendAsync(target, payload.Id, payload.Serialize(), Settings.AttemptTimeout, cancellationToken);
        return new DeliveryAttempt(1, now, outcome.Status, outcome.Error, outcome.LatencyMs);
    }

    /// <summary>Every endpoint's health: its run of failures, circuit and queue.</summary>
    internal async Task<IReadOnlyList<WebhookEndpointHealth>> HealthAsync(CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow();
        var queues = await _deliveries.QueuesAsync(cancellationToken);
        return (await _endpoints.ListAsync(cancellationToken)).Select(target =>
        {
            var queue = queues.GetValueOrDefault(target.Id) ?? new EndpointQueue(0, 0, null);
            var circuit = _breaker.Of(target.Id);
            var state = circuit is null ? WebhookHealthState.Healthy
                : circuit.NextProbeAt is null ? WebhookHealthState.Failing
                : WebhookHealthState.CircuitOpen;
            DateTimeOffset? next = queue.NextDueAt is not { } due ? null
                : circuit?.NextProbeAt is { } probe && probe > due ? probe
                : due < now ? now : due;
            return new WebhookEndpointHealth(
                target.Id, target.Name, state, circuit?.FailingSince, circuit?.ConsecutiveFailures ?? 0, queue.Pending, queue.DeadLettered, next,
                circuit?.LastError);
        }).ToArray();
    }

    /// <summary>Removes the deliveries of endpoints deleted since (on another node, or when removing them failed).</summary>
    private async Task ForgetDeletedEndpointsAsync(CancellationToken cancellationToken)
    {
        var endpoints = (await _endpoints.ListAsync(cancellationToken)).Select(t => t.Id).ToHashSet();
        foreach (var deleted in (await _deliveries.NotifiedEndpointsAsync(null, cancellationToken)).Where(id => !endpoints.Contains(id)))
        {
            await _deliveries.ForgetEndpointAsync(deleted, cancellationToken);
        }
    }

    private async Task DeliverAsync(WebhookTarget target, IReadOnlyList<PendingDelivery> deliveries, CancellationToken cancellationToken)
    {
        try
        {
            for (var i = 0; i < deliveries.Count; i++)
            {
                var delivery = deliveries[i];
                if (_breaker.IsOpen(target.Id, _time.GetUtcNow()))
                {
                    await DeadLetterExpiredAsync(target, deliveries.Skip(i), cancellationToken);
                    return;
                }
                var outcome = await _sender.SendAsync(target, delivery.IdempotencyKey, delivery.Payload, Settings.AttemptTimeout, cancellationToken);
                var now = _time.GetUtcNow();
                var attempt = delivery.Attempts + 1;
                DeliveryState state;
                var next = now;
                if (outcome.Delivered)
                {
                    if (_breaker.Of(target.Id) is { } failing && _attemptLog.Ended(target.Id))
                    {
                        LogRecovered(target.Name, failing.ConsecutiveFailures, failing.FailingSince);
                    }
                    _breaker.Succeeded(target.Id);
                    state = DeliveryState.Delivered;
                }
                else
                {
                    var error = outcome.Error ?? "";
                    _breaker.Failed(target.Id, now, error);
                    var retry = outcome.Gone ? null : _schedule.NextAttempt(delivery.RetrySince, attempt, now, Random.Shared.NextDouble());
                    state = retry is null ? DeliveryState.DeadLettered : DeliveryState.Pending;
                    next = retry ?? now;
                    if (_attemptLog.Changed(target.Id, error))
                    {
                        LogEndpointFailing(target.Name, error, Settings.MaxBackoff, Settings.RetryHorizon);
                    }
                    LogAttemptFailed(target.Name, delivery.Id, attempt, error, state);
                }
                await _queue.RecordAttemptAsync(delivery.Id, attempt, now, outcome.Status, outcome.Error, outcome.LatencyMs, state, next, cancellationToken);
                ProductMetrics.WebhookAttempted(state.ToString());
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
        catch (Exception exception)
        {
            if (_loopLog.Changed(target.Id, exception.Message))
            {
                LogEndpointFailed(exception, target.Name);
            }
            else
            {
                LogEndpointFailedAgain(target.Name, exception.Message);
            }
        }
    }

    /// <summary>Dead-letters the deliveries an open circuit holds back once their retry horizon has passed.</summary>
    private async Task DeadLetterExpiredAsync(WebhookTarget target, IEnumerable<PendingDelivery> held, CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow();
        foreach (var delivery in held.Where(d => _schedule.Deadline(d.RetrySince) <= now))
        {
            await _queue.DeadLetterAsync(delivery.Id, "The retry horizon passed while the endpoint's circuit was open", cancellationToken);
            LogHeldDeadLettered(target.Name, delivery.Id);
        }
    }

    [LoggerMessage(LogLevel.Warning, "Webhook {Endpoint}: delivery {DeliveryId} dead-lettered, its retry horizon passed while the circuit was open")]
    private partial void LogHeldDeadLettered(string endpoint, long deliveryId);

    [LoggerMessage(LogLevel.Warning, "Webhook {Endpoint}: delivery {DeliveryId} attempt {Attempt} failed ({Error}); now {State}")]
    private partial void LogAttemptFailed(string endpoint, long deliveryId, int attempt, string error, DeliveryState state);

    [LoggerMessage(LogLevel.Warning,
        "Webhook {Endpoint} is failing: {Error}. Its deliveries are kept and retried with backoff up to {MaxBackoff} for {RetryHorizon}; each further failed attempt is logged in one line")]
    private partial void LogEndpointFailing(string endpoint, string error, TimeSpan maxBackoff, TimeSpan retryHorizon);

    [LoggerMessage(LogLevel.Information, "Webhook {Endpoint} delivers again, after {Failures} failed attempts since {FailingSince}")]
    private partial void LogRecovered(string endpoint, int failures, DateTimeOffset failingSince);

    [LoggerMessage(LogLevel.Error, "Webhook {Endpoint}: delivery loop failed")]
    private partial void LogEndpointFailed(Exception exception, string endpoint);

    [LoggerMessage(LogLevel.Error, "Webhook {Endpoint}: delivery loop failed again ({Error}); the stack trace was logged when it first failed so")]
    private partial void LogEndpointFailedAgain(string endpoint, string error);

    [LoggerMessage(LogLevel.Error, "Webhook outbox poll failed")]
    private partial void LogPollFailed(Exception exception);

    [LoggerMessage(LogLevel.Error, "Webhook outbox poll failed again ({Error}); the stack trace was logged when it first failed so")]
    private partial void LogPollFailedAgain(string error);
}
