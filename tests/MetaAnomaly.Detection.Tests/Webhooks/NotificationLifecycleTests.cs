using System.Text.Json;
using MetaAnomaly.Detection.Events;
using MetaAnomaly.Detection.Muting;
using MetaAnomaly.Detection.Storage;
using MetaAnomaly.Detection.Tests.Support;
using MetaAnomaly.Detection.Webhooks;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace MetaAnomaly.Detection.Tests.Webhooks;

/// <summary>
/// One event's notifications from opening to resolution against a real loopback receiver, on a fake clock: folded
/// escalations, the per-series minimum interval, acknowledgement and the resolution.
/// </summary>
public sealed class NotificationLifecycleTests : LoopbackWebhookTests
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 30, 8, 0, 0, TimeSpan.Zero));
    private readonly DetectionOptions _options = new();

    [Fact]
    public async Task AnOpenedEventThatResolvesSendsOpenedThenResolvedWithDurationAndPeak()
    {
        var (webhooks, outbox, dispatcher, anomalies) = Create();
        await webhooks.Endpoints.CreateAsync(new WebhookEndpointRequest("ok", Receiver.BaseUrl + "/ok"), default);
        var opened = await anomalies.UpsertAsync(Anomaly(), default);

        await outbox.EnqueueAsync(opened, default);
        await PollAsync(dispatcher);
        var closed = await anomalies.UpsertAsync(opened with { End = opened.Start.AddMinutes(20), Points = 5, Open = false }, default);
        await outbox.EnqueueResolutionAsync(closed, default);
        await PollAsync(dispatcher);

        var bodies = Receiver.On("/ok").Select(r => JsonDocument.Parse(r.Body).RootElement).ToArray();
        Assert.Equal(["anomaly.opened", "anomaly.resolved"], bodies.Select(b => b.GetProperty("type").GetString()));
        var resolved = bodies[1].GetProperty("anomaly");
        Assert.False(resolved.GetProperty("open").GetBoolean());
        Assert.Equal(1200, resolved.GetProperty("durationSeconds").GetDouble());
        Assert.Equal(opened.Peak, resolved.GetProperty("peak").GetDateTimeOffset());
        Assert.Equal($"http://127.0.0.1:5080/anomalies/{opened.Id}", resolved.GetProperty("link").GetString());
        Assert.Contains("[Resolved]", bodies[1].GetProperty("text").GetString());
    }

    [Fact]
    public async Task AResolutionGoesOnlyToEndpointsThatWereToldOfTheEvent()
    {
        var (webhooks, outbox, dispatcher, anomalies) = Create();
        await webhooks.Endpoints.CreateAsync(new WebhookEndpointRequest("critical", Receiver.BaseUrl + "/critical", MinSeverity: AnomalySeverity.Critical), default);
        var opened = await anomalies.UpsertAsync(Anomaly(), default);

        await outbox.EnqueueAsync(opened, default);
        Assert.Equal(0, await outbox.EnqueueResolutionAsync(opened with { Open = false }, default));
        await PollAsync(dispatcher);

        Assert.Empty(Receiver.On("/critical"));
    }

    [Fact]
    public async Task AnEscalationSoonAfterTheOpeningWentOutWaitsForTheSeriesMinimumInterval()
    {
        var (webhooks, outbox, dispatcher, anomalies) = Create();
        var endpoint = (await webhooks.Endpoints.CreateAsync(new WebhookEndpointRequest("ok", Receiver.BaseUrl + "/ok"), default))!;
        var opened = await anomalies.UpsertAsync(Anomaly(), default);
        await outbox.EnqueueAsync(opened, default);
        await PollAsync(dispatcher);

        _time.Advance(TimeSpan.FromSeconds(2));
        await outbox.EnqueueEscalationAsync(opened with { Severity = AnomalySeverity.Critical }, default);
        await PollAsync(dispatcher);
        Assert.Single(Receiver.On("/ok"));

        _time.Advance(_options.Webhooks.MinSeriesInterval);
        await PollAsync(dispatcher);
        Assert.Equal(2, Receiver.On("/ok").Count);
        Assert.All(await webhooks.Deliveries.DeliveriesAsync(endpoint.Id, null, 10, default), d => Assert.Equal(DeliveryState.Delivered, d.State));
    }

    [Fact]
    public async Task AnEscalationBeforeTheOpeningWentOutIsFoldedIntoIt()
    {
        var (webhooks, outbox, dispatcher, anomalies) = Create();
        await webhooks.Endpoints.CreateAsync(new WebhookEndpointRequest("ok", Receiver.BaseUrl + "/ok"), default);
        var opened = await anomalies.UpsertAsync(Anomaly(), default);

        await outbox.EnqueueAsync(opened, default);
        await outbox.EnqueueEscalationAsync(opened with { Severity = AnomalySeverity.Critical }, default);
        await PollAsync(dispatcher);

        var request = Assert.Single(Receiver.On("/ok"));
        Assert.Equal($"anomaly-{opened.Id}-opened", request.Headers[WebhookSignature.IdempotencyHeader]);
        Assert.Equal("Critical", JsonDocument.Parse(request.Body).RootElement.GetProperty("anomaly").GetProperty("severity").GetString());
    }

    [Fact]
    public async Task AnAcknowledgedEventIsNotEscalated()
    {
        var (webhooks, outbox, dispatcher, anomalies) = Create();
        await webhooks.Endpoints.CreateAsync(new WebhookEndpointRequest("ok", Receiver.BaseUrl + "/ok"), default);
        var opened = await anomalies.UpsertAsync(Anomaly(), default);
        await outbox.EnqueueAsync(opened, default);
        await PollAsync(dispatcher);

        var acknowledged = (await anomalies.AcknowledgeAsync(opened.Id, "oncall", default))!;
        await outbox.EnqueueEscalationAsync(acknowledged with { Severity = AnomalySeverity.Critical }, default);
        _time.Advance(TimeSpan.FromHours(1));
        await PollAsync(dispatcher);

        Assert.Equal("oncall", acknowledged.AcknowledgedBy);
        Assert.Equal(_time.GetUtcNow() - TimeSpan.FromHours(1), acknowledged.AcknowledgedAt);
        Assert.Single(Receiver.On("/ok"));
    }

    [Fact]
    public async Task AnEventAMaintenanceWindowCoversIsStoredButNotSentAndNeitherIsItsResolution()
    {
        var (webhooks, outbox, dispatcher, anomalies) = Create();
        await webhooks.Endpoints.CreateAsync(new WebhookEndpointRequest("ok", Receiver.BaseUrl + "/ok"), default);
        var windows = new MaintenanceWindowStore(Database, _time);
        var at = _time.GetUtcNow();
        await windows.CreateAsync(new MaintenanceWindowRequest("deploy", at.AddMinutes(-5), at.AddMinutes(30), SeriesPattern: "cpu,*"), "admin", default);
        var covered = await anomalies.UpsertAsync(Anomaly(), default);
        var elsewhere = await anomalies.UpsertAsync(Anomaly() with { SeriesKey = "disk,host=a#used" }, default);

        Assert.Equal(0, await outbox.EnqueueAsync(covered, default));
        Assert.Equal(1, await outbox.EnqueueAsync(elsewhere, default));
        Assert.Equal(0, await outbox.EnqueueResolutionAsync(covered with { Open = false }, default));
        await PollAsync(dispatcher);

        Assert.NotNull(await anomalies.GetAsync(covered.Id, default));
        Assert.Equal([$"anomaly-{elsewhere.Id}-opened"], Receiver.On("/ok").Select(r => r.Headers[WebhookSignature.IdempotencyHeader]));
    }

    [Fact]
    public async Task ASnoozedEventIsNotEscalatedUntilTheSnoozeEnds()
    {
        var (webhooks, outbox, dispatcher, anomalies) = Create();
        await webhooks.Endpoints.CreateAsync(new WebhookEndpointRequest("ok", Receiver.BaseUrl + "/ok"), default);
        var opened = await anomalies.UpsertAsync(Anomaly(), default);
        await outbox.EnqueueAsync(opened, default);
        await PollAsync(dispatcher);

        var snoozed = (await anomalies.SnoozeAsync(opened.Id, _time.GetUtcNow().AddHours(2), default))!;
        _time.Advance(TimeSpan.FromHours(1));
        Assert.Equal(0, await outbox.EnqueueEscalationAsync(snoozed with { Severity = AnomalySeverity.Critical }, default));
        _time.Advance(TimeSpan.FromHours(2));
        Assert.Equal(1, await outbox.EnqueueEscalationAsync(snoozed with { Severity = AnomalySeverity.Critical }, default));
    }

    private (WebhookStores Webhooks, WebhookOutbox Outbox, WebhookDispatcher Dispatcher, SqlAnomalyStore Anomalies) Create()
    {
        var options = Options.Create(_options);
        var store = WebhookStores.On(Database, _time, new EphemeralSecretProtector());
        var link = new DashboardLink(options, []);
        var sender = new WebhookSender(Http.GetRequiredService<IHttpClientFactory>(), TimeProvider.System);
        return (store, new WebhookOutbox(store.Endpoints, store.Deliveries, new MaintenanceWindowStore(Database, _time), link, new LocalWebhookClaims(), options, _time), new WebhookDispatcher(store.Endpoints, store.Deliveries, sender, link, options, _time, new ListLogger<WebhookDispatcher>()),
            new SqlAnomalyStore(Database, _time));
    }

    private static async Task PollAsync(WebhookDispatcher dispatcher) => await Task.WhenAll(await dispatcher.StartDueAsync(default));

    private AnomalyEvent Anomaly()
    {
        var at = _time.GetUtcNow();
        return new AnomalyEvent(0, "cpu,host=a#usage", "c1", at, at, at, 90, 50, 45, 55, 12, 0.999995, AnomalySeverity.High,
            AnomalyDirection.Up, "default", true, 1, AnomalyFeedbackKind.None, at, "residual 12.0 scales above the forecast", 6.5);
    }
}
