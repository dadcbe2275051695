using System.Text.Json;
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

    /// <summary>
    /// The WCAG contrast ratio of each element's text against what it is drawn on: its own background, or the first
    /// ancestor's that is not transparent, with translucent colours composed over what lies beneath.
    /// </summary>
    public async Task<IReadOnlyList<TextContrast>> ContrastAsync(string selector) => JsonSerializer.Deserialize<TextContrast[]>(await Page.EvaluateAsync<string>("""
        selector => {
          const parse = c => { const p = c.match(/rgba?\(([^)]+)\)/)[1].split(/[ ,\/]+/).filter(x => x).map(Number); return [p[0], p[1], p[2], p.length > 3 ? p[3] : 1]; };
          const over = (front, back) => [0, 1, 2].map(i => front[i] * front[3] + back[i] * (1 - front[3])).concat([1]);
          const background = element => {
            const layers = [];
            for (let e = element; e; e = e.parentElement) {
              const c = parse(getComputedStyle(e).backgroundColor);
              if (c[3] > 0) { layers.push(c); if (c[3] >= 1) break; }
            }
            return layers.reverse().reduce((back, layer) => over(layer, back), [255, 255, 255, 1]);
          };
          const luminance = c => { const [r, g, b] = c.slice(0, 3).map(v => { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); }); return 0.2126 * r + 0.7152 * g + 0.0722 * b; };
          return JSON.stringify([...document.querySelectorAll(selector)].map(element => {
            const back = background(element);
            const [light, dark] = [luminance(over(parse(getComputedStyle(element).color), back)), luminance(back)].sort((a, b) => b - a);
            return { text: element.textContent.trim(), ratio: (light + 0.05) / (dark + 0.05) };
          }));
        }
        """, selector), new JsonSerializerOptions(JsonSerializerDefaults.Web))!;

    public async ValueTask DisposeAsync()
    {
        await Context.DisposeAsync();
        await _browser.DisposeAsync();
        _playwright.Dispose();
    }
}

/// <summary>An element's text and its contrast ratio (WCAG AA asks 4.5 for normal text).</summary>
public sealed record TextContrast(string Text, double Ratio);
