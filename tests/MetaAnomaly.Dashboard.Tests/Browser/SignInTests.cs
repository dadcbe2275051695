using MetaAnomaly.Dashboard.Tests.Support;
using MetaAnomaly.Dashboard.Security;

namespace MetaAnomaly.Dashboard.Tests.Browser;

/// <summary>First start, sign-in, roles and jobs in a real browser, on a host without the demo stream.</summary>
public sealed class SignInTests : IAsyncLifetime
{
    private readonly DashboardHost _host = new(new Dictionary<string, string?> { ["Ingest:Demo:Enabled"] = "false" }, kestrel: true);
    private BrowserSession _browser = null!;

    public async Task InitializeAsync()
    {
        _host.StartServer();
        _browser = await BrowserSession.OpenAsync(_host.BaseAddress);
    }

    public async Task DisposeAsync()
    {
        await _browser.DisposeAsync();
        await _host.DisposeAsync();
    }

    [Fact]
    public async Task FirstStartAsksForAdminPasswordThenSignsIn()
    {
        var page = _browser.Page;
        await page.GotoAsync("/");
        Assert.EndsWith("/setup", page.Url, StringComparison.Ordinal);
        await _browser.ScreenshotAsync("setup");

        await page.FillAsync("#password", "first-admin-pw");
        await page.FillAsync("#confirm", "first-admin-pw");
        await page.ClickAsync("button[type=submit]");
        await page.WaitForURLAsync("**/login");

        await page.FillAsync("#username", DashboardHost.AdminUser);
        await page.FillAsync("#password", "wrong-password");
        await page.ClickAsync("button[type=submit]");
        await page.WaitForSelectorAsync("[data-testid=login-error]");

        await _browser.SignInAsync(DashboardHost.AdminUser, "first-admin-pw");
        Assert.Equal(DashboardHost.AdminUser, await page.InnerTextAsync("[data-testid=signed-in-user]"));
        Assert.True(await _host.Accounts.HasAdminAsync(CancellationToken.None));

        await page.ClickAsync("text=Sign out");
        await page.WaitForURLAsync("**/login");
        await page.GotoAsync("/jobs");
        Assert.Contains("/login", page.Url, StringComparison.Ordinal);
        Assert.Empty(_browser.ScriptErrors);
    }

    [Fact]
    public async Task ViewerCannotOpenAdminPages()
    {
        await _host.Accounts.CreateFirstAdminAsync(DashboardHost.AdminUser, DashboardHost.AdminPassword, CancellationToken.None);
        await _host.Accounts.CreateAccountAsync("watcher", "viewer-password", DashboardRoles.Viewer, CancellationToken.None);
        await _browser.SignInAsync("watcher", "viewer-password");
        var page = _browser.Page;

        Assert.Equal(1, await page.Locator(".mud-navmenu a[href='/jobs']").CountAsync());
        Assert.Equal(0, await page.Locator("a[href='/access']").CountAsync());
        Assert.Equal(0, await page.Locator(".mud-navmenu a[href='/alerts']").CountAsync());
        foreach (var adminPage in (string[])["/access", "/alerts"])
        {
            await page.GotoAsync(adminPage);
            await page.WaitForSelectorAsync("text=needs the admin role");
        }
        Assert.Equal(0, await page.Locator("[data-testid=create-key]").CountAsync());
        Assert.Equal(0, await page.Locator("[data-testid=webhook-add]").CountAsync());
        Assert.Empty(_browser.ScriptErrors);
    }

    [Fact]
    public async Task AdminCreatesApiKeyShownOnce()
    {
        await _host.Accounts.CreateFirstAdminAsync(DashboardHost.AdminUser, DashboardHost.AdminPassword, CancellationToken.None);
        await _browser.SignInAsync(DashboardHost.AdminUser, DashboardHost.AdminPassword);
        var page = _browser.Page;
        await page.ClickAsync("a[href='/access']");
        await page.FillAsync("input[data-testid=key-name], [data-testid=key-name] input", "telegraf");
        await page.ClickAsync("[data-testid=create-key]");
        var shown = await page.InnerTextAsync("[data-testid=created-key] code");
        Assert.StartsWith("mak_", shown, StringComparison.Ordinal);
        Assert.NotNull(await _host.Accounts.VerifyApiKeyAsync(shown, CancellationToken.None));
        await _browser.ScreenshotAsync("access");

        await page.ReloadAsync();
        await _browser.WaitForInteractivityAsync();
        Assert.DoesNotContain(shown, await page.ContentAsync(), StringComparison.Ordinal);
        Assert.Empty(_browser.ScriptErrors);
    }
}
