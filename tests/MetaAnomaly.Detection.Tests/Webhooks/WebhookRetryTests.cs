using MetaAnomaly.Detection.Events;
using MetaAnomaly.Detection.Muting;
using MetaAnomaly.Detection.Tests.Support;
using MetaAnomaly.Detection.Webhooks;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace MetaAnomaly.Detection.Tests.Webhooks;

/// <summary>Retries over hours against a real loopback receiver, on a fake clock moved by the test (no waiting on wall time).</summary>
public sealed class WebhookRetryTests : LoopbackWebhookTests
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 30, 8, 0, 0, TimeSpan.Zero));

    [Fact]
    public async Task AReceiverDownForTenMinutesGetsTheAlertExactlyOnceWhenItComesBack()
    {
        var (store, dispatcher, options) = Create(new WebhookOptions());
        var endpoint = await CreateEndpointAsync(store, "/down");
        Receiver.Answers["/down"] = 503;
        await OutboxFor(options).EnqueueAsync(Anomaly(1), default);
        var start = _time.GetUtcNow();

        var sawOpenCircuit = false;
        while (_time.GetUtcNow() < start + TimeSpan.FromMinutes(10))
        {
            await PollAsync(dispatcher);
            var whileDown = Assert.Single(await dispatcher.HealthAsync(default));
            if (whileDown.State == WebhookHealthState.CircuitOpen)
            {
                sawOpenCircuit = true;
                Assert.Equal(start, whileDown.FailingSince);
                Assert.InRange(whileDown.NextAttemptAt!.Value, _time.GetUtcNow(), _time.GetUtcNow() + options.Webhooks.MaxBackoff);
            }
            _time.Advance(TimeSpan.FromSeconds(5));
        }
        var failedWhileDown = Receiver.On("/down").Count;
        Assert.True(sawOpenCircuit, "The endpoint's circuit never opened.");
        Assert.Equal(DeliveryState.Pending, Assert.Single(await store.Deliveries.DeliveriesAsync(endpoint.Id, null, 10, default)).State);

        Receiver.Answers["/down"] = 200;
        for (var step = 0; step < 200 && (await store.Deliveries.DeliveriesAsync(endpoint.Id, DeliveryState.Delivered, 10, default)).Count == 0; step++)
        {
            _time.Advance(TimeSpan.FromSeconds(5));
            await PollAsync(dispatcher);
        }
        for (var step = 0; step < 100; step++)
        {
            _time.Advance(TimeSpan.FromSeconds(30));
            await PollAsync(dispatcher);
        }

        Assert.Equal(failedWhileDown + 1, Receiver.On("/down").Count);
        Assert.Single(Receiver.On("/down").Select(r => r.Headers[WebhookSignature.IdempotencyHeader]).Distinct());
        Assert.Equal(DeliveryState.Delivered, Assert.Single(await store.Deliveries.DeliveriesAsync(endpoint.Id, null, 10, default)).State);
        var health = Assert.Single(await dispatcher.HealthAsync(default));
        Assert.Equal(new WebhookEndpointHealth(endpoint.Id, endpoint.Name, WebhookHealthState.Healthy, null, 0, 0, 0, null), health);
    }

    [Fact]
    public async Task AFailingDeliveryIsDeadLetteredOnlyAfterTheRetryHorizonWithDelaysUpToMaxBackoff()
    {
        var settings = new WebhookOptions { RetryHorizon = TimeSpan.FromHours(1), MaxBackoff = TimeSpan.FromMinutes(5), BreakerFailures = 100 };
        var (store, dispatcher, options) = Create(settings);
        var endpoint = await CreateEndpointAsync(store, "/fail");
        await OutboxFor(options).EnqueueAsync(Anomaly(2), default);
        var step = TimeSpan.FromSeconds(5);

        for (var i = 0; i < 2 * 720 && (await store.Deliveries.DeliveriesAsync(endpoint.Id, DeliveryState.DeadLettered, 10, default)).Count == 0; i++)
        {
            Assert.Equal(DeliveryState.Pending, Assert.Single(await store.Deliveries.DeliveriesAsync(endpoint.Id, null, 10, default)).State);
            await PollAsync(dispatcher);
            _time.Advance(step);
        }

        var dead = Assert.Single(await store.Deliveries.DeliveriesAsync(endpoint.Id, DeliveryState.DeadLettered, 10, default));
        var attempts = await store.Deliveries.AttemptsAsync(dead.Id, default);
        var deadline = dead.CreatedAt + settings.RetryHorizon;
        Assert.True(attempts[^1].At >= deadline, "Dead-lettered before its retry horizon.");
        Assert.All(attempts.SkipLast(1), a => Assert.True(a.At < deadline, "Retried after its retry horizon."));
        var gaps = attempts.Zip(attempts.Skip(1), (a, b) => b.At - a.At).ToArray();
        Assert.All(gaps, gap => Assert.True(gap <= settings.MaxBackoff + step, $"A delay of {gap} is beyond MaxBackoff."));
        Assert.Contains(gaps, gap => gap >= settings.MaxBackoff / 2);
        Assert.Equal(attempts.Count, Receiver.On("/fail").Count);
    }

    [Fact]
    public async Task AnOpenCircuitProbesOncePerMaxBackoffWithoutSpendingTheHeldDeliveries()
    {
        var settings = new WebhookOptions { InitialBackoff = TimeSpan.FromSeconds(1), MaxBackoff = TimeSpan.FromMinutes(1), BreakerFailures = 2 };
        var (store, dispatcher, options) = Create(settings);
        var endpoint = await CreateEndpointAsync(store, "/fail");
        for (var id = 10; id < 13; id++)
        {
            await OutboxFor(options).EnqueueAsync(Anomaly(id), default);
        }
        var opened = _time.GetUtcNow();

        await PollAsync(dispatcher);
        for (var second = 1; second < 60; second++)
        {
            _time.Advance(TimeSpan.FromSeconds(1));
            await PollAsync(dispatcher);
        }
        Assert.Equal(2, Receiver.On("/fail").Count);
        _time.Advance(TimeSpan.FromSeconds(1));
        await PollAsync(dispatcher);

        Assert.Equal(3, Receiver.On("/fail").Count);
        var deliveries = await store.Deliveries.DeliveriesAsync(endpoint.Id, null, 10, default);
        Assert.All(deliveries, d => Assert.Equal(DeliveryState.Pending, d.State));
        Assert.Equal(3, deliveries.Sum(d => d.Attempts));
        var health = Assert.Single(await dispatcher.HealthAsync(default));
        Assert.Equal(WebhookHealthState.CircuitOpen, health.State);
        Assert.Equal((opened, 3, 3), (health.FailingSince!.Value, health.ConsecutiveFailures, health.Pending));
        Assert.Equal(opened + 2 * settings.MaxBackoff, health.NextAttemptAt);
    }

    [Fact]
    public async Task DeliveriesHeldByAnOpenCircuitAreDeadLetteredOnceTheirHorizonHasPassed()
    {
        var settings = new WebhookOptions { MaxBackoff = TimeSpan.FromMinutes(1), RetryHorizon = TimeSpan.FromMinutes(10), BreakerFailures = 1 };
        var (store, dispatcher, options) = Create(settings);
        var endpoint = await CreateEndpointAsync(store, "/fail");
        var start = _time.GetUtcNow();
        for (var id = 20; id < 23; id++)
        {
            await OutboxFor(options).EnqueueAsync(Anomaly(id), default);
        }

        while (_time.GetUtcNow() < start + settings.RetryHorizon)
        {
            await PollAsync(dispatcher);
            _time.Advance(TimeSpan.FromSeconds(10));
        }
        Assert.All(await store.Deliveries.DeliveriesAsync(endpoint.Id, null, 10, default), d => Assert.Equal(DeliveryState.Pending, d.State));
        await PollAsync(dispatcher);

        var deliveries = await store.Deliveries.DeliveriesAsync(endpoint.Id, null, 10, default);
        Assert.All(deliveries, d => Assert.Equal(DeliveryState.DeadLettered, d.State));
        Assert.Single(deliveries, d => d.LastError == "HTTP 500 Internal Server Error");
        Assert.Equal(Receiver.On("/fail").Count, deliveries.Sum(d => d.Attempts));
    }

    [Fact]
    public async Task AWebhookWhoseSecretWasProtectedWithLostKeysIsReportedAndTheOthersKeepDelivering()
    {
        var (before, _, _) = Create(new WebhookOptions());
        var orphan = await CreateEndpointAsync(before, "/orphan", "secret-of-the-lost-keys");
        var logger = new ListLogger<WebhookDispatcher>();
        var keysLost = EphemeralSecretProtector.WithNewKeyRing();
        var (store, dispatcher, options) = Create(new WebhookOptions(), logger, keysLost);
        var healthy = (await store.Endpoints.CreateAsync(new WebhookEndpointRequest("healthy", Receiver.BaseUrl + "/healthy", "secret-of-the-new-keys"), default))!;

        var listed = await new WebhookManagement(store.Endpoints, store.Deliveries, dispatcher).ListAsync(default);
        Assert.Contains("Dashboard:KeysPath", listed.Single(e => e.Id == orphan.Id).SecretProblem);
        Assert.True(listed.Single(e => e.Id == orphan.Id).HasSecret);
        Assert.Null(listed.Single(e => e.Id == healthy.Id).SecretProblem);
        await new WebhookOutbox(store.Endpoints, store.Deliveries, new MaintenanceWindowStore(Database, _time), Link(options), new LocalWebhookClaims(), Options.Create(options), _time).EnqueueAsync(Anomaly(30), default);
        for (var step = 0; step < 60; step++)
        {
            await PollAsync(dispatcher);
            _time.Advance(TimeSpan.FromSeconds(5));
        }

        Assert.Equal(DeliveryState.Delivered, Assert.Single(await store.Deliveries.DeliveriesAsync(healthy.Id, null, 10, default)).State);
        Assert.Single(Receiver.On("/healthy"));
        Assert.Empty(Receiver.On("/orphan"));
        var held = Assert.Single(await store.Deliveries.DeliveriesAsync(orphan.Id, null, 10, default));
        Assert.Equal(DeliveryState.Pending, held.State);
        Assert.Contains("Dashboard:KeysPath", held.LastError);
        Assert.Single(logger.Lines, line => line.Contains("is failing", StringComparison.Ordinal) && line.Contains("Dashboard:KeysPath", StringComparison.Ordinal));
        var badge = (await dispatcher.HealthAsync(default)).Single(h => h.EndpointId == orphan.Id);
        Assert.NotEqual(WebhookHealthState.Healthy, badge.State);
        Assert.Contains("Dashboard:KeysPath", badge.LastError);
        Assert.Null((await dispatcher.HealthAsync(default)).Single(h => h.EndpointId == healthy.Id).LastError);

        Assert.True(await store.Endpoints.UpdateAsync(orphan.Id, new WebhookEndpointRequest("orphan", Receiver.BaseUrl + "/orphan", "set-again"), default));
        for (var step = 0; step < 80 && (await store.Deliveries.DeliveriesAsync(orphan.Id, DeliveryState.Delivered, 10, default)).Count == 0; step++)
        {
            _time.Advance(TimeSpan.FromSeconds(5));
            await PollAsync(dispatcher);
        }
        var request = Assert.Single(Receiver.On("/orphan"));
        Assert.True(WebhookSignature.Verify("set-again", request.Headers[WebhookSignature.Header], request.Body, DateTimeOffset.UtcNow, TimeSpan.FromMinutes(5)));
    }

    [Fact]
    public async Task ADeadEndpointLogsOneLinePerFailedAttemptAndItsExplanationOnceUntilItRecovers()
    {
        var logger = new ListLogger<WebhookDispatcher>();
        var (store, dispatcher, options) = Create(new WebhookOptions { BreakerFailures = 100, MaxBackoff = TimeSpan.FromSeconds(30) }, logger);
        var refused = (await store.Endpoints.CreateAsync(new WebhookEndpointRequest("refused", WebhookReceiver.RefusingUrl()), default))!;
        var failing = await CreateEndpointAsync(store, "/failing");
        Receiver.Answers["/failing"] = 500;
        await OutboxFor(options).EnqueueAsync(Anomaly(40), default);

        for (var step = 0; step < 120; step++)
        {
            await PollAsync(dispatcher);
            _time.Advance(TimeSpan.FromSeconds(5));
        }
        Receiver.Answers["/failing"] = 200;
        for (var step = 0; step < 12; step++)
        {
            await PollAsync(dispatcher);
            _time.Advance(TimeSpan.FromSeconds(5));
        }

        var attempts = (await store.Deliveries.DeliveriesAsync(refused.Id, null, 10, default)).Single().Attempts;
        Assert.True(attempts >= 10, $"Only {attempts} attempts in ten minutes.");
        Assert.Equal(attempts, logger.Lines.Count(line => line.Contains("Webhook refused: delivery", StringComparison.Ordinal)));
        Assert.Single(logger.Lines, line => line.Contains("Webhook refused is failing: ConnectionError", StringComparison.Ordinal));
        Assert.Single(logger.Lines, line => line.Contains("Webhook failing is failing: HTTP 500", StringComparison.Ordinal));
        Assert.Single(logger.Lines, line => line.Contains("Webhook failing delivers again", StringComparison.Ordinal));
        Assert.DoesNotContain(logger.Lines, line => line.Contains(" at ", StringComparison.Ordinal) || line.Contains("Exception", StringComparison.Ordinal));
        Assert.Equal(DeliveryState.Delivered, Assert.Single(await store.Deliveries.DeliveriesAsync(failing.Id, null, 10, default)).State);
    }

    private (WebhookStores Store, WebhookDispatcher Dispatcher, DetectionOptions Options) Create(
        WebhookOptions webhooks, ListLogger<WebhookDispatcher>? logger = null, EphemeralSecretProtector? secrets = null)
    {
        var options = new DetectionOptions { Webhooks = webhooks };
        var store = WebhookStores.On(Database, _time, secrets ?? new EphemeralSecretProtector());
        var sender = new WebhookSender(Http.GetRequiredService<IHttpClientFactory>(), TimeProvider.System);
        return (store, new WebhookDispatcher(store.Endpoints, store.Deliveries, sender, Link(options), Options.Create(options), _time, logger ?? new ListLogger<WebhookDispatcher>()), options);
    }

    private WebhookOutbox OutboxFor(DetectionOptions options)
    {
        var stores = WebhookStores.On(Database, _time, new EphemeralSecretProtector());
        return new(stores.Endpoints, stores.Deliveries, new MaintenanceWindowStore(Database, _time), Link(options), new LocalWebhookClaims(), Options.Create(options), _time);
    }

    private static DashboardLink Link(DetectionOptions options) => new(Options.Create(options), []);

    private async Task<WebhookTarget> CreateEndpointAsync(WebhookStores store, string path, string? secret = null) =>
        (await store.Endpoints.CreateAsync(new WebhookEndpointRequest(path.TrimStart('/'), Receiver.BaseUrl + path, secret), default))!;

    private static async Task PollAsync(WebhookDispatcher dispatcher) => await Task.WhenAll(await dispatcher.StartDueAsync(default));

    private AnomalyEvent Anomaly(long id)
    {
        var at = _time.GetUtcNow();
        return new AnomalyEvent(id, "cpu,host=a#usage", "c1", at, at, at, 90, 50, 45, 55, 12, 0.999995, AnomalySeverity.High,
            AnomalyDirection.Up, "default", true, 1, AnomalyFeedbackKind.None, at);
    }
}
