using System.Globalization;
using System.Text.RegularExpressions;
using MetaAnomaly.Dashboard.Jobs;
using MetaAnomaly.Dashboard.Tests.Support;
using MetaAnomaly.Detection.Events;
using MetaAnomaly.Detection.Storage;
using MetaAnomaly.Forecasting.ReadModel;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace MetaAnomaly.Dashboard.Tests.Browser;

/// <summary>
/// An operator's walk through the product in demo mode, in Chromium: sign in, overview, a series chart with its
/// anomaly markers, confirming an anomaly, adding and testing a webhook against a local receiver, running a job.
/// Saves screenshots of the main pages.
/// </summary>
public sealed class DemoJourneyTests : IAsyncLifetime
{
    private static readonly TimeSpan DetectionBudget = TimeSpan.FromSeconds(150);

    private DashboardHost _host = null!;
    private LocalWebhookReceiver _receiver = null!;
    private BrowserSession _browser = null!;

    public async Task InitializeAsync()
    {
        _receiver = await LocalWebhookReceiver.StartAsync();
        _host = new DashboardHost(DashboardHost.FastDemoSettings(), kestrel: true);
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
    public async Task OperatorSeesConfirmsAndAlertsOnDemoAnomalies()
    {
        var anomaly = await FirstAnomalyAsync();
        var page = _browser.Page;

        await _browser.SignInAsync(DashboardHost.AdminUser, DashboardHost.AdminPassword);
        await page.WaitForSelectorAsync("[data-testid=latest-anomaly]");
        await page.WaitForSelectorAsync("#overview-hourly .main-svg");
        var countTicks = await page.EvaluateAsync<string[]>("[...document.querySelectorAll('#overview-hourly .ytick text')].map(t => t.textContent)");
        Assert.NotEmpty(countTicks);
        Assert.All(countTicks, tick => Assert.Matches("^[0-9,]+$", tick));
        await _browser.ScreenshotAsync("overview");
        await ChipsMeetWcagAaInLightAndDarkModeAsync();

        await page.ClickAsync("a[href='/series']");
        await page.WaitForSelectorAsync("[data-testid=series-table]");
        await _browser.ScreenshotAsync("series");
        await page.GotoAsync(Components.Shared.SeriesLinks.View(anomaly.SeriesKey));
        await _browser.WaitForInteractivityAsync();
        await page.Locator(".mud-toggle-item", new() { HasTextRegex = new Regex("^\\s*all\\s*$") }).ClickAsync();
        // Plotly draws each marker of the anomaly trace as an SVG path inside the scatter layer.
        await page.WaitForSelectorAsync("[data-testid=series-chart] .scatterlayer .trace:last-child .points path");
        // A live update may redraw the chart between the two reads: wait for the marker count rather than read it once.
        await page.WaitForFunctionAsync("() => Number(document.querySelector('[data-testid=series-chart]')?.getAttribute('data-markers') ?? 0) > 0");
        await _browser.ScreenshotAsync("series-chart");
        await ZoomKeepsThroughALiveUpdateAsync();

        await page.ClickAsync("a[href='/anomalies']");
        await page.WaitForSelectorAsync("[data-testid=anomalies-table] [data-testid=severity]");
        await _browser.ScreenshotAsync("anomalies");
        await page.GotoAsync(Components.Shared.SeriesLinks.Anomaly(anomaly.Id));
        await _browser.WaitForInteractivityAsync();
        await page.WaitForSelectorAsync("[data-testid=series-chart] .main-svg");
        await page.ClickAsync("[data-testid=confirm]");
        await page.WaitForSelectorAsync("[data-testid=feedback-state]:has-text('Confirmed')");
        var stored = await _host.Services.GetRequiredService<IAnomalyStore>().GetAsync(anomaly.Id, CancellationToken.None);
        Assert.Equal(AnomalyFeedbackKind.Confirmed, stored!.Feedback);
        await _browser.ScreenshotAsync("anomaly");

        await page.ClickAsync("a[href='/alerts']");
        await page.FillAsync("input[data-testid=webhook-name], [data-testid=webhook-name] input", "receiver");
        await page.FillAsync("input[data-testid=webhook-url], [data-testid=webhook-url] input", _receiver.Url.ToString());
        await page.ClickAsync("[data-testid=webhook-add]");
        await page.ClickAsync("[data-testid=webhook-test-receiver]");
        await page.WaitForSelectorAsync("[data-testid=webhook-test-result]:has-text('204')");
        Assert.NotNull(await _receiver.WaitForAsync(body => body.GetProperty("type").GetString() == "webhook.test", TimeSpan.FromSeconds(10)));
        await page.ClickAsync("[data-testid=webhook-log-receiver]");
        await _browser.ScreenshotAsync("alerts");

        await page.ClickAsync("a[href='/clusters']");
        await page.WaitForSelectorAsync("[data-testid=clusters-table]");
        await ClusterPreviewSumsItsMembersPerDayAsync();
        await _browser.ScreenshotAsync("clusters");

        await page.ClickAsync("a[href='/jobs']");
        var job = (await _host.Services.GetRequiredService<JobCatalog>().ListAsync(CancellationToken.None))[0];
        var clickedAt = DateTimeOffset.UtcNow;
        await page.ClickAsync($"[data-testid=run-{job.Name}]");
        await page.WaitForSelectorAsync("text=started.");
        Assert.True(await RanSinceAsync(job, clickedAt), $"Job {job.Group}.{job.Name} recorded no run after Run now.");
        await page.ReloadAsync();
        await _browser.WaitForInteractivityAsync();
        await page.WaitForSelectorAsync("[data-testid=jobs-table] :text('clusters adapted')");
        await page.ClickAsync("[data-testid=jobs-table] >> text=History");
        await page.WaitForSelectorAsync($"[data-testid=job-history] :text('run now by {DashboardHost.AdminUser}')");
        await _browser.ScreenshotAsync("jobs");
        Assert.Empty(_browser.ScriptErrors);
    }

    /// <summary>The demo chip in the app bar and the overview's severity chips keep their text at 4.5:1 in both modes.</summary>
    private async Task ChipsMeetWcagAaInLightAndDarkModeAsync()
    {
        var page = _browser.Page;
        const string background = "getComputedStyle(document.body).backgroundColor";
        foreach (var mode in new[] { "light", "dark" })
        {
            // The theme's colours change through CSS transitions: measure once they have ended.
            await page.WaitForFunctionAsync("document.getAnimations().every(a => !(a instanceof CSSTransition))");
            var chips = await _browser.ContrastAsync(".mud-chip");
            Assert.Contains(chips, c => c.Text.StartsWith("demo", StringComparison.Ordinal));
            Assert.True(chips.All(c => c.Ratio >= 4.5), $"{mode}: " + string.Join(", ", chips.Select(c => $"'{c.Text}' {c.Ratio:0.00}")));
            var before = await page.EvaluateAsync<string>(background);
            await page.ClickAsync("[data-testid=dark-mode]");
            await page.WaitForFunctionAsync($"{background} !== '{before}'");
        }
    }

    /// <summary>The largest cluster's preview: its per-day table adds up to the alerts its summary counts.</summary>
    private async Task ClusterPreviewSumsItsMembersPerDayAsync()
    {
        var page = _browser.Page;
        var largest = _host.Services.GetRequiredService<IForecastingReadModel>().Clusters().MaxBy(c => c.Members.Count)!;
        await page.ClickAsync($"[data-testid=clusters-table] >> text=\"{largest.Id}\"");
        await page.WaitForSelectorAsync($"[data-testid=cluster-preview]:has-text('{largest.Id}'), [data-testid=sensitivity-effective]:has-text('{largest.Id}')");
        await page.ClickAsync("[data-testid=cluster-preview] [data-testid=preview-run]");
        var summary = await (await page.WaitForSelectorAsync("[data-testid=cluster-preview-summary]"))!.InnerTextAsync();
        var alerts = int.Parse(Regex.Match(summary, @": (\d+) alerts? from").Groups[1].Value, CultureInfo.InvariantCulture);
        var days = await page.EvaluateAsync<string[]>("[...document.querySelectorAll('[data-testid=cluster-preview-day] td:nth-child(2)')].map(t => t.textContent)");
        Assert.NotEmpty(days);
        Assert.Equal(alerts, days.Sum(d => d.Length == 0 ? 0 : int.Parse(d, CultureInfo.InvariantCulture)));
        foreach (var close in await page.QuerySelectorAllAsync(".mud-snackbar button"))
        {
            await close.ClickAsync();
        }
        await page.WaitForSelectorAsync(".mud-snackbar", new() { State = WaitForSelectorState.Detached });
        await page.Locator("[data-testid=cluster-preview-days]").ScrollIntoViewIfNeededAsync();
    }

    /// <summary>Drags a zoom box over the chart, waits for the next live redraw and checks the zoom is still there.</summary>
    private async Task ZoomKeepsThroughALiveUpdateAsync()
    {
        var page = _browser.Page;
        const string range = "JSON.stringify(document.querySelector('[data-testid=series-chart] .js-plotly-plot')._fullLayout.xaxis.range)";
        var before = await page.EvaluateAsync<string>(range);
        var area = (await page.Locator("[data-testid=series-chart] .nsewdrag").First.BoundingBoxAsync())!;
        var y = area.Y + area.Height / 2;
        await page.Mouse.MoveAsync(area.X + area.Width * 0.4f, y);
        await page.Mouse.DownAsync();
        await page.Mouse.MoveAsync(area.X + area.Width * 0.6f, y, new() { Steps = 8 });
        await page.Mouse.UpAsync();
        var zoomed = await page.EvaluateAsync<string>(range);
        Assert.NotEqual(before, zoomed);
        var draws = int.Parse((await page.GetAttributeAsync("[data-testid=series-chart]", "data-draws"))!);
        // The attribute trails the redraws by one render: two more mean a redraw with new data came after the zoom.
        await page.WaitForFunctionAsync($"Number(document.querySelector('[data-testid=series-chart]').dataset.draws) > {draws + 1}");
        Assert.Equal(zoomed, await page.EvaluateAsync<string>(range));
    }

    private async Task<bool> RanSinceAsync(JobSummary job, DateTimeOffset since)
    {
        var runs = _host.Services.GetRequiredService<JobRunStore>();
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(120);
        while (DateTime.UtcNow < deadline)
        {
            if ((await runs.RecentAsync(job.Group, job.Name, 5, CancellationToken.None)).Any(r => r.StartedAt >= since.AddSeconds(-1)))
            {
                return true;
            }
            await Task.Delay(TimeSpan.FromSeconds(1));
        }
        return false;
    }

    private async Task<AnomalyEvent> FirstAnomalyAsync()
    {
        var store = _host.Services.GetRequiredService<IAnomalyStore>();
        var deadline = DateTime.UtcNow + DetectionBudget;
        while (DateTime.UtcNow < deadline)
        {
            if ((await store.ListAsync(new AnomalyQuery(PageSize: 1), CancellationToken.None)).Items is [var first, ..])
            {
                return first;
            }
            await Task.Delay(TimeSpan.FromSeconds(2));
        }
        throw new TimeoutException($"The demo produced no anomaly within {DetectionBudget.TotalSeconds} s.");
    }
}
