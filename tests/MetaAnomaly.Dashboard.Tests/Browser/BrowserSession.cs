using MetaAnomaly.Dashboard.Tests.Support;
using MetaAnomaly.Testing;
using Microsoft.Playwright;

namespace MetaAnomaly.Dashboard.Tests.Browser;

/// <summary>
/// Debian's Chromium driven by Playwright, headless, against a <see cref="DashboardHost"/> listening on a free port.
/// Screenshots go to METAANOMALY_SCREENSHOTS (docs/screenshots to refresh the README's) or the test output folder.
/// </summary>
public sealed class BrowserSession : IAsyncDisposable
{
    private static readonly string[] ChromiumArgs =
        ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--no-first-run"];

    private readonly IPlaywright _playwright;
    private readonly IBrowser _browser;

    private BrowserSession(IPlaywright playwright, IBrowser browser, IBrowserContext context, IPage page)
    {
        _playwright = playwright;
        _browser = browser;
        Context = context;
        Page = page;
    }

    public IBrowserContext Context { get; }

    public IPage Page { get; }

    /// <summary>Errors the page's scripts raised (a page that throws fails its test).</summary>
    public List<string> ScriptErrors { get; } = [];

    /// <summary>A desktop-sized window by default; <paramref name="width"/> x <paramref name="height"/> for a phone, in <paramref name="timeZoneId"/> (IANA) when given.</summary>
    public static async Task<BrowserSession> OpenAsync(Uri baseAddress, int width = 1440, int height = 900, string? timeZoneId = null)
    {
        var playwright = await Playwright.CreateAsync();
        var browser = await playwright.Chromium.LaunchAsync(new()
        {
            ExecutablePath = TestEnvironment.ChromiumPath,
            Headless = true,
            Args = ChromiumArgs,
        });
        var context = await browser.NewContextAsync(new()
        {
            BaseURL = baseAddress.ToString(),
            ViewportSize = new() { Width = width, Height = height },
            ColorScheme = ColorScheme.Light,
            TimezoneId = timeZoneId,
        });
        context.SetDefaultTimeout(30_000);
        var page = await context.NewPageAsync();
        var session = new BrowserSession(playwright, browser, context, page);
        page.PageError += (_, error) => session.ScriptErrors.Add(error);
        return session;
    }

    public async Task SignInAsync(string user, string password)
    {
        await Page.GotoAsync("/login");
        await Page.FillAsync("#username", user);
        await Page.FillAsync("#password", password);
        await Page.ClickAsync("button[type=submit]");
        await Page.WaitForURLAsync(url => !url.Contains("/login", StringComparison.Ordinal));
        await WaitForInteractivityAsync();
    }

    /// <summary>Waits until the Blazor circuit is up (MudBlazor's layout renders interactively).</summary>
    public async Task WaitForInteractivityAsync()
    {
        await Page.WaitForLoadStateAsync(LoadState.NetworkIdle);
        await Page.WaitForSelectorAsync("[data-testid=signed-in-user]");
    }

    public async Task ScreenshotAsync(string name)
    {
        var directory = Environment.GetEnvironmentVariable("METAANOMALY_SCREENSHOTS")
            ?? Path.Combine(AppContext.BaseDirectory, "screenshots");
        Directory.CreateDirectory(directory);
        await Page.ScreenshotAsync(new() { Path = Path.Combine(directory, name + ".png"), FullPage = false });
    }

    public async ValueTask DisposeAsync()
    {
        await Context.DisposeAsync();
        await _browser.DisposeAsync();
        _playwright.Dispose();
    }
}
