using System.Text.Json;
using MetaAnomaly.Dashboard.Tests.Support;
using MetaAnomaly.Detection.Events;
using MetaAnomaly.Detection.Muting;
using MetaAnomaly.Detection.Sinks;
using MetaAnomaly.Detection.Storage;
using MetaAnomaly.Detection.Webhooks;
using MetaAnomaly.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace MetaAnomaly.Dashboard.Tests.Browser;

/// <summary>
/// An event handed to the product's own sinks (as a scoring tick does) on a quiet host: its explanation and 0-100 score
/// on its page and in the webhook body, then its resolution, with links to the address the host listens on; the Alerts
/// page's health badges of that receiver and of an endpoint nobody listens on.
/// </summary>
public sealed class AnomalyExplanationTests : IAsyncLifetime
{
    private static readonly TimeSpan DeliveryWait = TimeSpan.FromSeconds(30);

    private readonly DashboardHost _host = new(DashboardHost.QuietSettings(), kestrel: true);
    private LocalWebhookReceiver _receiver = null!;
    private BrowserSession _browser = null!;

    public async Task InitializeAsync()
    {
        _receiver = await LocalWebhookReceiver.StartAsync();
        _host.StartServer();
        _browser = await BrowserSession.OpenAsync(_host.BaseAddress);
    }

    public async Task DisposeAsync()
    {
        await _browser.DisposeAsync();
        await _host.DisposeAsync();
        await _receiver.DisposeAsync();
    }

    [Fact]
    public async Task AnAnomalyExplainsItselfOnItsPageAndInItsOpenedThenResolvedWebhooksAndTheAlertsPageShowsEachEndpointsHealth()
    {
        var webhooks = _host.Services.GetRequiredService<IWebhookManagement>();
        await webhooks.CreateAsync(new WebhookEndpointRequest("receiver", _receiver.Url.ToString()), default);
        await webhooks.CreateAsync(new WebhookEndpointRequest("dead", $"http://127.0.0.1:{FreePort.Next()}/hook"), default);
        var opened = await StoreAsync(SampleEvent(open: true));
        await HandToSinksAsync(new EventChange(EventChangeKind.Opened, opened));
        var openedBody = await _receiver.WaitForAsync(b => b.GetProperty("type").GetString() == WebhookPayload.OpenedType, DeliveryWait)
            ?? throw new TimeoutException("No anomaly.opened webhook.");

        var closed = await StoreAsync(opened with { End = opened.Start.AddMinutes(25), Points = 6, Open = false });
        await HandToSinksAsync(new EventChange(EventChangeKind.Closed, closed));
        var resolvedBody = await _receiver.WaitForAsync(b => b.GetProperty("type").GetString() == WebhookPayload.ResolvedType, DeliveryWait)
            ?? throw new TimeoutException("No anomaly.resolved webhook.");

        var link = new Uri(_host.BaseAddress, $"/anomalies/{opened.Id}").ToString();
        var openedAnomaly = openedBody.GetProperty("anomaly");
        Assert.Equal(AnomalyExplanation.Sentence(opened), openedAnomaly.GetProperty("explanation").GetString());
        Assert.Equal(Math.Round(opened.AnomalyScore, 1), openedAnomaly.GetProperty("anomalyScore").GetDouble());
        Assert.Equal(link, openedAnomaly.GetProperty("link").GetString());
        var resolvedAnomaly = resolvedBody.GetProperty("anomaly");
        Assert.Equal(link, resolvedAnomaly.GetProperty("link").GetString());
        Assert.Equal(25 * 60, resolvedAnomaly.GetProperty("durationSeconds").GetDouble());
        Assert.Equal(opened.Peak, resolvedAnomaly.GetProperty("peak").GetDateTimeOffset());

        await _browser.SignInAsync(DashboardHost.AdminUser, DashboardHost.AdminPassword);
        await _browser.Page.GotoAsync($"/anomalies/{opened.Id}");
        await _browser.WaitForInteractivityAsync();
        Assert.Equal(AnomalyExplanation.Sentence(closed), (await _browser.Page.InnerTextAsync("[data-testid=explanation]")).Trim());
        Assert.Equal($"{closed.AnomalyScore:0} / 100 ({closed.Severity})", (await _browser.Page.InnerTextAsync("[data-testid=anomaly-score]")).Trim());
        Assert.Contains(closed.Reason!, await _browser.Page.InnerTextAsync("[data-testid=reason]"));
        var notifications = await _browser.Page.InnerTextAsync("[data-testid=notifications]");
        Assert.Contains("anomaly.opened → receiver: Delivered", notifications);
        Assert.Contains("anomaly.resolved → receiver: Delivered", notifications);

        await _browser.Page.ClickAsync("[data-testid=acknowledge]");
        await _browser.Page.WaitForSelectorAsync("[data-testid=acknowledged]:has-text('admin')");
        Assert.Equal(DashboardHost.AdminUser, (await _host.Services.GetRequiredService<IAnomalyStore>().GetAsync(opened.Id, default))!.AcknowledgedBy);

        await WaitUntilAsync(async () => (await webhooks.HealthAsync(default)).Any(h => h is { Name: "dead", ConsecutiveFailures: > 0 }));
        await _browser.Page.GotoAsync("/alerts");
        await _browser.WaitForInteractivityAsync();
        Assert.Contains("Healthy", await _browser.Page.InnerTextAsync("[data-testid=webhook-health-receiver]"));
        Assert.StartsWith("anomaly.resolved: Delivered (2", (await _browser.Page.InnerTextAsync("[data-testid=webhook-last-receiver]")).Trim());
        var dead = await _browser.Page.InnerTextAsync("[data-testid=webhook-health-dead]");
        Assert.Matches("(Failing|CircuitOpen)", dead);
        Assert.Contains("failures in a row since", dead);
        Assert.Empty(_browser.ScriptErrors);
    }

    [Fact]
    public async Task AMaintenanceWindowAddedOnTheAlertsPageSuppressesTheWebhookWhileTheEventIsStored()
    {
        await _host.Services.GetRequiredService<IWebhookManagement>().CreateAsync(new WebhookEndpointRequest("receiver", _receiver.Url.ToString()), default);
        var page = _browser.Page;
        await _browser.SignInAsync(DashboardHost.AdminUser, DashboardHost.AdminPassword);
        await page.ClickAsync("a[href='/alerts']");
        await page.FillAsync("input[data-testid=window-name], [data-testid=window-name] input", "edge deploy");
        await page.FillAsync("input[data-testid=window-pattern], [data-testid=window-pattern] input", "net,*");
        await page.FillAsync("input[data-testid=window-start], [data-testid=window-start] input", "2026-11-30 07:30");
        await page.FillAsync("input[data-testid=window-end], [data-testid=window-end] input", "2026-11-30 09:00");
        await page.ClickAsync("[data-testid=window-add]");
        await page.WaitForSelectorAsync("[data-testid=windows-table] :text('edge deploy')");
        await _browser.ScreenshotAsync("maintenance");
        var window = Assert.Single(await _host.Services.GetRequiredService<MaintenanceWindowStore>().ListAsync(default));
        Assert.Equal(("net,*", new DateTimeOffset(2026, 11, 30, 7, 30, 0, TimeSpan.Zero), new DateTimeOffset(2026, 11, 30, 9, 0, 0, TimeSpan.Zero)),
            (window.SeriesPattern, window.Start, window.End));

        var muted = await StoreAsync(SampleEvent(open: true));
        var control = await StoreAsync(SampleEvent(open: true) with { SeriesKey = "disk,host=db-1#used" });
        await HandToSinksAsync(new EventChange(EventChangeKind.Opened, muted));
        await HandToSinksAsync(new EventChange(EventChangeKind.Opened, control));
        Assert.NotNull(await _receiver.WaitForAsync(b => b.GetProperty("anomaly").GetProperty("id").GetInt64() == control.Id, DeliveryWait));

        Assert.DoesNotContain(_receiver.Received, b => b.GetProperty("anomaly").GetProperty("id").GetInt64() == muted.Id);
        Assert.NotNull(await _host.Services.GetRequiredService<IAnomalyStore>().GetAsync(muted.Id, default));
        await page.GotoAsync($"/anomalies/{muted.Id}");
        await _browser.WaitForInteractivityAsync();
        Assert.Contains("edge deploy", await page.InnerTextAsync("[data-testid=muted]"));
        Assert.Empty(_browser.ScriptErrors);
    }

    private static async Task WaitUntilAsync(Func<Task<bool>> condition)
    {
        var deadline = DateTime.UtcNow + DeliveryWait;
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException("The condition did not hold in time.");
            }
            await Task.Delay(200);
        }
    }

    private Task<AnomalyEvent> StoreAsync(AnomalyEvent anomaly) => _host.Services.GetRequiredService<IAnomalyStore>().UpsertAsync(anomaly, default);

    private async Task HandToSinksAsync(EventChange change)
    {
        foreach (var sink in _host.Services.GetServices<IDetectionSink>())
        {
            await sink.HandleAsync(new ScoringTick([], [change]), default);
        }
    }

    private static AnomalyEvent SampleEvent(bool open)
    {
        var start = new DateTimeOffset(2026, 11, 30, 8, 0, 0, TimeSpan.Zero);
        return new AnomalyEvent(0, "net,host=edge-1#rx_bytes", "c1", start, start.AddMinutes(5), start.AddMinutes(5), 9800, 1200, 900, 1500, 28.7, 1,
            AnomalySeverity.High, AnomalyDirection.Up, "default", open, 2, AnomalyFeedbackKind.None, start,
            "residual 28.7 scales above the forecast; rule 'default' fired: surprise 7.1 from the point's deviate reached its threshold 0.9999", 7.1);
    }
}
