using System.Net;
using MetaAnomaly.Dashboard.Security;
using MetaAnomaly.Dashboard.Tests.Support;

namespace MetaAnomaly.Dashboard.Tests;

/// <summary>
/// A signed-in browser's cookie changes things only from the dashboard's own pages, and never authenticates a push
/// to <c>/write</c>; API keys are unaffected. (The test server's origin is <c>http://localhost</c>.)
/// </summary>
public sealed class CrossOriginTests(SignedInDashboard dashboard) : IClassFixture<SignedInDashboard>
{
    private const string SameOrigin = "http://localhost";

    private readonly DashboardHost _host = dashboard.Host;
    private readonly string _adminCookie = dashboard.AdminCookie;

    public static TheoryData<string?, string?, HttpStatusCode> Browsers => new()
    {
        // Origin, Sec-Fetch-Site, expected answer to a cookie POST of an unknown job (404 when it gets through)
        { SameOrigin, "same-origin", HttpStatusCode.NotFound },
        { SameOrigin, null, HttpStatusCode.NotFound },
        { null, "same-origin", HttpStatusCode.NotFound },
        { "http://localhost:8080", null, HttpStatusCode.Forbidden },
        { "http://localhost:8080", "same-site", HttpStatusCode.Forbidden },
        { "https://attacker.example", "cross-site", HttpStatusCode.Forbidden },
        { SameOrigin, "cross-site", HttpStatusCode.Forbidden },
        { null, null, HttpStatusCode.Forbidden },
    };

    [Theory]
    [MemberData(nameof(Browsers))]
    public async Task CookiePostGoesThroughOnlyFromTheDashboardsOwnPages(string? origin, string? fetchSite, HttpStatusCode expected)
    {
        using var client = _host.WithCookie(_adminCookie);
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/jobs/none/none/run");
        if (origin is not null)
        {
            request.Headers.Add("Origin", origin);
        }
        if (fetchSite is not null)
        {
            request.Headers.Add("Sec-Fetch-Site", fetchSite);
        }
        using var response = await client.SendAsync(request);
        Assert.Equal(expected, response.StatusCode);
    }

    [Fact]
    public async Task CrossOriginCookieFeedbackIsRefused()
    {
        using var client = _host.WithCookie(_adminCookie);
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/anomalies/1/feedback") { Content = JsonContent("""{"verdict":"confirm"}""") };
        request.Headers.Add("Origin", "http://localhost:3000");
        using var response = await client.SendAsync(request);
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Contains("Cross-origin request refused", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ApiKeyPostNeedsNoOrigin()
    {
        using var client = _host.CreateClient(new() { AllowAutoRedirect = false });
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/jobs/none/none/run");
        request.Headers.Add(ApiKeyAuthenticationHandler.HeaderName, await _host.CreateKeyAsync(DashboardRoles.Admin));
        using var response = await client.SendAsync(request);
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Theory]
    [InlineData("/write?db=telegraf&precision=s")]
    [InlineData("/api/v2/write?org=o&bucket=telegraf&precision=s")]
    public async Task AdminsCookieCannotPushPoints(string path)
    {
        using var client = _host.WithCookie(_adminCookie);
        using var request = new HttpRequestMessage(HttpMethod.Post, path)
        {
            Content = new StringContent($"cookiepush,host=browser usage=1 {DateTimeOffset.UtcNow.ToUnixTimeSeconds()}\n"),
        };
        request.Headers.Add("Origin", SameOrigin);
        request.Headers.Add("Sec-Fetch-Site", "same-origin");
        using var response = await client.SendAsync(request);
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);

        using var reader = _host.CreateClient();
        reader.DefaultRequestHeaders.Add(ApiKeyAuthenticationHandler.HeaderName, await _host.CreateKeyAsync(DashboardRoles.Viewer));
        Assert.DoesNotContain("cookiepush", await reader.GetStringAsync("/api/series?measurement=cookiepush"), StringComparison.Ordinal);
    }

    private static StringContent JsonContent(string json) => new(json, System.Text.Encoding.UTF8, "application/json");
}
