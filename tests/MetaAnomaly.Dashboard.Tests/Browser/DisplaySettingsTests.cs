using MetaAnomaly.Dashboard.Tests.Support;
using MetaAnomaly.Detection.Events;
using MetaAnomaly.Detection.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace MetaAnomaly.Dashboard.Tests.Browser;

/// <summary>Time zone, remembered settings and the phone layout, on a quiet host with stored events.</summary>
public sealed class DisplaySettingsTests : KestrelHostTests
{
    private static readonly DateTimeOffset Start = new(2026, 11, 30, 8, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task TimesFollowTheBrowsersZoneUntilTheUserSwitchesToUtcWhichIsRememberedAsIsDarkMode()
    {
        var anomaly = await StoreAsync("cpu,host=a#usage");
        await using var browser = await BrowserSession.OpenAsync(Host.BaseAddress, timeZoneId: "America/New_York");
        var page = browser.Page;
        await browser.SignInAsync(DashboardHost.AdminUser, DashboardHost.AdminPassword);

        await page.GotoAsync($"/anomalies/{anomaly.Id}");
        await browser.WaitForInteractivityAsync();
        await page.WaitForSelectorAsync("[data-testid=event-start]:has-text('2026-11-30 03:00:00 America/New_York')");
        await page.ClickAsync("[data-testid=time-zone]");
        await page.WaitForSelectorAsync("[data-testid=event-start]:has-text('2026-11-30 08:00:00 UTC')");

        const string background = "getComputedStyle(document.body).backgroundColor";
        var light = await page.EvaluateAsync<string>(background);
        await page.ClickAsync("[data-testid=dark-mode]");
        await page.WaitForFunctionAsync($"{background} !== '{light}'");
        var dark = await page.EvaluateAsync<string>(background);

        await page.ReloadAsync();
        await browser.WaitForInteractivityAsync();
        await page.WaitForSelectorAsync("[data-testid=event-start]:has-text('2026-11-30 08:00:00 UTC')");
        await page.WaitForFunctionAsync($"{background} === '{dark}'");
        Assert.Empty(browser.ScriptErrors);
    }

    [Fact]
    public async Task TheAnomaliesTableFitsAPhoneScreenAndItsFilterFindsAKeyBySubstring()
    {
        await StoreAsync("rds_postgres_connections,instance=production-database-primary-eu-west-1,cluster=payments#connections_active");
        await StoreAsync("cpu,host=a#usage", hours: 1);
        await using var browser = await BrowserSession.OpenAsync(Host.BaseAddress, width: 390, height: 844);
        var page = browser.Page;
        await browser.SignInAsync(DashboardHost.AdminUser, DashboardHost.AdminPassword);

        await page.GotoAsync("/anomalies");
        await browser.WaitForInteractivityAsync();
        await page.WaitForSelectorAsync("[data-testid=anomalies-total]:has-text('2 events')");
        Assert.True(await page.EvaluateAsync<int>("document.documentElement.scrollWidth") <= 390, "The page scrolls sideways at 390 px.");
        await browser.ScreenshotAsync("anomalies-mobile");

        await page.FillAsync("input[data-testid=series-filter], [data-testid=series-filter] input", "postgres");
        await page.Keyboard.PressAsync("Enter");
        await page.WaitForSelectorAsync("[data-testid=anomalies-total]:has-text('1 event ')");
        Assert.Empty(browser.ScriptErrors);
    }

    private Task<AnomalyEvent> StoreAsync(string series, int hours = 0) =>
        Host.Services.GetRequiredService<IAnomalyStore>().UpsertAsync(new AnomalyEvent(
            0, series, "c1", Start.AddHours(hours), Start.AddHours(hours).AddMinutes(5), Start.AddHours(hours), 98, 40, 35, 45, 14, 1,
            AnomalySeverity.High, AnomalyDirection.Up, "default", false, 2, AnomalyFeedbackKind.None, Start, "residual 14.0 scales above the forecast", 7), default);
}
