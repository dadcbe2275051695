using System.Text.Json;
using MetaAnomaly.Detection.Events;
using MetaAnomaly.Detection.Muting;
using MetaAnomaly.Detection.Tests.Support;
using MetaAnomaly.Detection.Webhooks;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace MetaAnomaly.Detection.Tests.Webhooks;

public sealed class WebhookDeliveryTests : LoopbackWebhookTests
{
    private const string Secret = "s3cr3t-never-logged";
    private static readonly TimeSpan ShortHorizon = TimeSpan.FromMilliseconds(200);

    [Fact]
    public async Task DeliversSignedPayloadWithIdempotencyKey()
    {
        var (store, dispatcher, _) = Create();
        var endpoint = await CreateEndpointAsync(store, "ok", "/ok", Secret);
        var anomaly = Anomaly(7);

        await Outbox(store).EnqueueAsync(anomaly, default);
        await DrainUntilAsync(dispatcher, async () => (await store.Deliveries.DeliveriesAsync(endpoint.Id, DeliveryState.Delivered, 10, default)).Count == 1);

        var request = Assert.Single(Receiver.On("/ok"));
        Assert.Equal("anomaly-7-opened", request.Headers[WebhookSignature.IdempotencyHeader]);
        Assert.True(WebhookSignature.Verify(Secret, request.Headers[WebhookSignature.Header], request.Body, DateTimeOffset.UtcNow, TimeSpan.FromMinutes(5)));
        Assert.False(WebhookSignature.Verify("wrong", request.Headers[WebhookSignature.Header], request.Body, DateTimeOffset.UtcNow, TimeSpan.FromMinutes(5)));
        using var json = JsonDocument.Parse(request.Body);
        Assert.Equal("anomaly.opened", json.RootElement.GetProperty("type").GetString());
        Assert.Equal(anomaly.SeriesKey, json.RootElement.GetProperty("anomaly").GetProperty("seriesKey").GetString());
        Assert.Equal("High", json.RootElement.GetProperty("anomaly").GetProperty("severity").GetString());
        Assert.Contains(anomaly.SeriesKey, json.RootElement.GetProperty("text").GetString());
        Assert.Equal("http://127.0.0.1:5080/anomalies/7", json.RootElement.GetProperty("anomaly").GetProperty("link").GetString());
    }

    [Fact]
    public async Task AnEscalationAfterTheOpeningWentOutIsASecondNotificationWithItsOwnIdempotencyKeyOncePerSeverity()
    {
        var (store, dispatcher, _) = Create();
        var endpoint = await CreateEndpointAsync(store, "ok", "/ok", Secret);
        var opened = Anomaly(8);
        var escalated = opened with { Probability = 0.9999999, Severity = AnomalySeverity.Critical };

        Assert.Equal(1, await Outbox(store).EnqueueAsync(opened, default));
        await DrainUntilAsync(dispatcher, async () => (await store.Deliveries.DeliveriesAsync(endpoint.Id, DeliveryState.Delivered, 10, default)).Count == 1);
        Assert.Equal(1, await Outbox(store).EnqueueEscalationAsync(escalated, default));
        Assert.Equal(0, await Outbox(store).EnqueueEscalationAsync(escalated, default));
        await DrainUntilAsync(dispatcher, async () => (await store.Deliveries.DeliveriesAsync(endpoint.Id, DeliveryState.Delivered, 10, default)).Count == 2);

        var requests = Receiver.On("/ok");
        Assert.Equal(["anomaly-8-escalated-critical", "anomaly-8-opened"], requests.Select(r => r.Headers[WebhookSignature.IdempotencyHeader]).Order(StringComparer.Ordinal));
        var second = requests.Single(r => r.Headers[WebhookSignature.IdempotencyHeader] == "anomaly-8-escalated-critical");
        Assert.True(WebhookSignature.Verify(Secret, second.Headers[WebhookSignature.Header], second.Body, DateTimeOffset.UtcNow, TimeSpan.FromMinutes(5)));
        using var json = JsonDocument.Parse(second.Body);
        Assert.Equal("anomaly.escalated", json.RootElement.GetProperty("type").GetString());
        Assert.Equal("Critical", json.RootElement.GetProperty("anomaly").GetProperty("severity").GetString());
        Assert.Contains("escalated to Critical", json.RootElement.GetProperty("text").GetString());
    }

    [Fact]
    public async Task FailingEndpointsRetryThenDeadLetterWhileOthersDeliver()
    {
        var logger = new ListLogger<WebhookDispatcher>();
        var (store, dispatcher, options) = Create(logger, ShortHorizon);
        var ok = await CreateEndpointAsync(store, "ok", "/ok", Secret);
        var failing = await CreateEndpointAsync(store, "fail", "/fail", Secret);
        var slow = await CreateEndpointAsync(store, "slow", "/slow", Secret);
        var refused = await store.Endpoints.CreateAsync(new WebhookEndpointRequest("refused", WebhookReceiver.RefusingUrl(), Secret), default);

        await Outbox(store).EnqueueAsync(Anomaly(1), default);
        await DrainUntilAsync(dispatcher, async () =>
        {
            var dead = 0;
            foreach (var id in new[] { failing.Id, slow.Id, refused!.Id })
            {
                dead += (await store.Deliveries.DeliveriesAsync(id, DeliveryState.DeadLettered, 10, default)).Count;
            }
            return dead == 3;
        });

        Assert.Single(await store.Deliveries.DeliveriesAsync(ok.Id, DeliveryState.Delivered, 10, default));
        // At least once: a receipt slower than the attempt timeout is retried with the same idempotency key.
        Assert.Single(Receiver.On("/ok").Select(r => r.Headers[WebhookSignature.IdempotencyHeader]).Distinct());
        var failed = Assert.Single(await store.Deliveries.DeliveriesAsync(failing.Id, null, 10, default));
        Assert.Equal(500, failed.LastStatus);
        var attempts = await store.Deliveries.AttemptsAsync(failed.Id, default);
        Assert.Equal(Receiver.On("/fail").Count, attempts.Count);
        Assert.Equal(Enumerable.Range(1, attempts.Count), attempts.Select(a => a.Attempt));
        var deadline = failed.CreatedAt + options.Webhooks.RetryHorizon;
        Assert.True(attempts[^1].At >= deadline, "Dead-lettered before its retry horizon.");
        Assert.All(attempts.SkipLast(1), a => Assert.True(a.At < deadline, "Retried after its retry horizon."));
        Assert.Contains("Timed out", Assert.Single(await store.Deliveries.DeliveriesAsync(slow.Id, null, 10, default)).LastError);
        Assert.Contains("ConnectionError", Assert.Single(await store.Deliveries.DeliveriesAsync(refused!.Id, null, 10, default)).LastError);
        Assert.DoesNotContain(logger.Lines, line => line.Contains(Secret, StringComparison.Ordinal));
    }

    [Fact]
    public async Task GoneEndpointIsDeadLetteredWithoutRetry()
    {
        var (store, dispatcher, _) = Create();
        var gone = await CreateEndpointAsync(store, "gone", "/gone", null);

        await Outbox(store).EnqueueAsync(Anomaly(2), default);
        await DrainUntilAsync(dispatcher, async () => (await store.Deliveries.DeliveriesAsync(gone.Id, DeliveryState.DeadLettered, 10, default)).Count == 1);

        Assert.Single(Receiver.On("/gone"));
    }

    [Fact]
    public async Task ReplayRedeliversDeadLetter()
    {
        var (store, dispatcher, _) = Create(retryHorizon: ShortHorizon);
        var endpoint = await CreateEndpointAsync(store, "flaky", "/flaky", null);
        Receiver.Answers["/flaky"] = 503;
        await Outbox(store).EnqueueAsync(Anomaly(3), default);
        await DrainUntilAsync(dispatcher, async () => (await store.Deliveries.DeliveriesAsync(endpoint.Id, DeliveryState.DeadLettered, 10, default)).Count == 1);
        var dead = Assert.Single(await store.Deliveries.DeliveriesAsync(endpoint.Id, null, 10, default));

        Receiver.Answers["/flaky"] = 200;
        Assert.True(await store.Deliveries.ReplayAsync(dead.Id, default));
        Assert.False(await store.Deliveries.ReplayAsync(dead.Id, default));
        await DrainUntilAsync(dispatcher, async () => (await store.Deliveries.DeliveryAsync(dead.Id, default))!.State == DeliveryState.Delivered);

        var requests = Receiver.On("/flaky");
        Assert.All(requests, r => Assert.Equal("anomaly-3-opened", r.Headers[WebhookSignature.IdempotencyHeader]));
    }

    [Fact]
    public async Task PendingDeliveriesGoOutAfterRestartOncePerIdempotencyKey()
    {
        var (store, firstRun, _) = Create();
        var endpoint = await CreateEndpointAsync(store, "restart", "/restart", Secret);
        Receiver.Answers["/restart"] = 500;
        await Outbox(store).EnqueueAsync(Anomaly(4), default);
        await Outbox(store).EnqueueAsync(Anomaly(4), default);
        await DrainUntilAsync(firstRun, async () => (await store.Deliveries.AttemptsAsync((await store.Deliveries.DeliveriesAsync(endpoint.Id, null, 10, default)).Single().Id, default)).Count >= 1);
        Assert.Equal(DeliveryState.Pending, Assert.Single(await store.Deliveries.DeliveriesAsync(endpoint.Id, null, 10, default)).State);
        var failedBeforeRestart = Receiver.On("/restart").Count;

        Receiver.Answers["/restart"] = 200;
        var (restartedStore, restarted, _) = Create();
        using var stop = new CancellationTokenSource();
        await restarted.StartAsync(stop.Token);
        await WaitUntilAsync(async () => (await restartedStore.Deliveries.DeliveriesAsync(endpoint.Id, DeliveryState.Delivered, 10, default)).Count == 1);
        await restarted.StopAsync(default);
        var (_, again, _) = Create();
        await Task.WhenAll(await again.StartDueAsync(default));

        Assert.Equal(failedBeforeRestart + 1, Receiver.On("/restart").Count);
        Assert.All(Receiver.On("/restart"), r => Assert.Equal("anomaly-4-opened", r.Headers[WebhookSignature.IdempotencyHeader]));
        Assert.Single(await restartedStore.Deliveries.DeliveriesAsync(endpoint.Id, null, 10, default));
    }

    [Fact]
    public async Task EndpointFiltersBySeverityAndSeries()
    {
        var (store, _, _) = Create();
        await store.Endpoints.CreateAsync(new WebhookEndpointRequest("critical-only", Receiver.BaseUrl + "/ok", MinSeverity: AnomalySeverity.Critical), default);
        await store.Endpoints.CreateAsync(new WebhookEndpointRequest("disk", Receiver.BaseUrl + "/ok", SeriesFilter: "disk,*"), default);
        await store.Endpoints.CreateAsync(new WebhookEndpointRequest("cpu", Receiver.BaseUrl + "/ok", SeriesFilter: "cpu,*"), default);

        Assert.Equal(1, await Outbox(store).EnqueueAsync(Anomaly(20), default));
    }

    [Fact]
    public async Task DeletingAnEndpointForgetsItsDeliveriesAndAStartForgetsThoseOfAnEndpointDeletedElsewhere()
    {
        var (store, dispatcher, _) = Create();
        var kept = await CreateEndpointAsync(store, "kept", "/ok", null);
        var deleted = await CreateEndpointAsync(store, "deleted", "/ok", null);
        var elsewhere = await CreateEndpointAsync(store, "elsewhere", "/ok", null);
        Assert.Equal(3, await Outbox(store).EnqueueAsync(Anomaly(5), default));

        Assert.True(await new WebhookManagement(store.Endpoints, store.Deliveries, dispatcher).DeleteAsync(deleted.Id, default));
        Assert.Empty(await store.Deliveries.DeliveriesAsync(deleted.Id, null, 10, default));
        // Another node of a cluster deletes the endpoint where the endpoints are shared; this node's outbox still has its delivery.
        Assert.True(await store.Endpoints.DeleteAsync(elsewhere.Id, default));
        Assert.Single(await store.Deliveries.DeliveriesAsync(elsewhere.Id, null, 10, default));

        await dispatcher.StartAsync(default);
        try
        {
            await WaitUntilAsync(async () => (await store.Deliveries.DeliveriesAsync(elsewhere.Id, null, 10, default)).Count == 0);
        }
        finally
        {
            await dispatcher.StopAsync(default);
        }
        Assert.Equal([kept.Id], await store.Deliveries.NotifiedEndpointsAsync(null, default));
        Assert.Single(await store.Deliveries.DeliveriesAsync(kept.Id, null, 10, default));
    }

    /// <summary>Deliveries are retried for a minute, or for <paramref name="retryHorizon"/> in tests that wait for dead-letters.</summary>
    private (WebhookStores Store, WebhookDispatcher Dispatcher, DetectionOptions Options) Create(
        ListLogger<WebhookDispatcher>? logger = null, TimeSpan? retryHorizon = null)
    {
        var options = new DetectionOptions
        {
            Webhooks =
            {
                RetryHorizon = retryHorizon ?? TimeSpan.FromMinutes(1),
                InitialBackoff = TimeSpan.FromMilliseconds(10),
                MaxBackoff = TimeSpan.FromMilliseconds(40),
                AttemptTimeout = TimeSpan.FromSeconds(2),
                BreakerFailures = 50,
                PollInterval = TimeSpan.FromMilliseconds(20),
            },
        };
        var store = WebhookStores.On(Database, TimeProvider.System, new EphemeralSecretProtector());
        var sender = new WebhookSender(Http.GetRequiredService<IHttpClientFactory>(), TimeProvider.System);
        var dispatcher = new WebhookDispatcher(store.Endpoints, store.Deliveries, sender, new DashboardLink(Options.Create(options), []), Options.Create(options), TimeProvider.System, logger ?? new ListLogger<WebhookDispatcher>());
        _options = options;
        return (store, dispatcher, options);
    }

    private DetectionOptions _options = new();

    private WebhookOutbox Outbox(WebhookStores store) => new(store.Endpoints, store.Deliveries, new MaintenanceWindowStore(Database, TimeProvider.System), new DashboardLink(Options.Create(_options), []), new LocalWebhookClaims(), Options.Create(_options), TimeProvider.System);

    private async Task<WebhookTarget> CreateEndpointAsync(WebhookStores store, string name, string path, string? secret) =>
        (await store.Endpoints.CreateAsync(new WebhookEndpointRequest(name, Receiver.BaseUrl + path, secret), default))!;

    private static AnomalyEvent Anomaly(long id) => new(
        id, "cpu,host=a#usage", "c1", DateTimeOffset.UtcNow, DateTimeOffset.UtcNow, DateTimeOffset.UtcNow, 90, 50, 45, 55, 12,
        0.999995, AnomalySeverity.High, AnomalyDirection.Up, "default", true, 1, AnomalyFeedbackKind.None, DateTimeOffset.UtcNow);

    private static async Task DrainUntilAsync(WebhookDispatcher dispatcher, Func<Task<bool>> done)
    {
        await WaitUntilAsync(async () =>
        {
            await Task.WhenAll(await dispatcher.StartDueAsync(default));
            return await done();
        });
    }

    private static async Task WaitUntilAsync(Func<Task<bool>> done)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!await done())
        {
            Assert.True(DateTime.UtcNow < deadline, "The condition was not reached within 30 s.");
            await Task.Delay(20);
        }
    }
}
