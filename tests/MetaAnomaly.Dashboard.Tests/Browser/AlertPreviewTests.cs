using MetaAnomaly.Dashboard.Security;
using MetaAnomaly.Dashboard.Tests.Support;
using MetaAnomaly.Detection.Preview;
using MetaAnomaly.Detection.Sensitivity;
using MetaAnomaly.Detection.Storage;
using MetaAnomaly.Shared.Series;
using Microsoft.Extensions.DependencyInjection;

namespace MetaAnomaly.Dashboard.Tests.Browser;

/// <summary>
/// A series pushed through <c>/write</c> with its scores stored as the scoring cycle stores them: on its page the preview
/// draws the alerts High sensitivity would have raised, and the admin sets the series' sensitivity; asked for 30 days,
/// the preview says it covers only the stored points.
/// </summary>
public sealed class AlertPreviewTests : KestrelHostTests
{
    private static readonly SeriesKey Key = SeriesKey.Parse("api,host=preview-1#latency");

    [Fact]
    public async Task ThePreviewDrawsTheAlertsHighSensitivityWouldHaveRaisedTheAdminSetsItAndThirtyDaysSayWhatIsStored()
    {
        var points = StoredScores.For(Key);
        using (var client = Host.CreateClient())
        {
            client.DefaultRequestHeaders.Add(ApiKeyAuthenticationHandler.HeaderName, await Host.CreateKeyAsync(DashboardRoles.Writer));
            (await client.PostAsync("/write?precision=s", new StringContent(StoredScores.LineProtocol(points, "api,host=preview-1", "latency")))).EnsureSuccessStatusCode();
        }
        await Host.Services.GetRequiredService<IAnomalyStore>().SaveScoresAsync(points, default);
        var expected = await Host.Services.GetRequiredService<AlertPreview>()
            .RunAsync(Key, AlertSensitivity.High, StoredScores.End.AddDays(-1), StoredScores.End, default);
        Assert.NotEmpty(expected.Alerts);

        await using var browser = await BrowserSession.OpenAsync(Host.BaseAddress);
        var page = browser.Page;
        await browser.SignInAsync(DashboardHost.AdminUser, DashboardHost.AdminPassword);
        await page.GotoAsync($"/series/view?key={Uri.EscapeDataString(Key.ToString())}");
        await browser.WaitForInteractivityAsync();
        await page.ClickAsync("[data-testid=preview-sensitivity] >> text=High");
        await page.ClickAsync("[data-testid=preview-run]");
        await page.WaitForSelectorAsync($"[data-testid=series-chart][data-preview='{expected.Alerts.Count}']");
        Assert.Equal(expected.Alerts.Count, await page.Locator("[data-testid=preview-alert]").CountAsync());
        Assert.Contains($"At High: {expected.Alerts.Count} alerts", await page.InnerTextAsync("[data-testid=preview-summary]"));
        await browser.ScreenshotAsync("preview");

        await page.ClickAsync("[data-testid=sensitivity-choice] >> text=High");
        await page.WaitForSelectorAsync("[data-testid=sensitivity-effective]:has-text('High (set on this series)')");
        Assert.Equal(AlertSensitivity.High, Host.Services.GetRequiredService<SensitivityStore>().EffectiveFor(Key, null).Sensitivity);

        await page.ClickAsync("[data-testid=preview-days] >> text=30 d");
        await page.ClickAsync("[data-testid=preview-run]");
        await page.WaitForSelectorAsync("[data-testid=preview-coverage]:has-text('not the 30 days asked for')");
        Assert.Empty(browser.ScriptErrors);
    }
}
