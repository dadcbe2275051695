using System.Net;
using System.Text.RegularExpressions;

namespace MetaAnomaly.Dashboard.Tests.Support;

/// <summary>Signs in through the real /login form over HTTP, as a browser does, and replays the cookie it gets.</summary>
public static partial class CookieSignIn
{
    public const string CookieName = "metaanomaly.auth";

    /// <summary>The sign-in form's answer: the auth cookie (<c>name=value</c>) when it signed in, and the page otherwise.</summary>
    public sealed record Outcome(HttpStatusCode Status, string? Cookie, string Page);

    public static async Task<Outcome> TrySignInAsync(this DashboardHost host, string user, string password)
    {
        using var client = host.CreateClient(new() { AllowAutoRedirect = false, HandleCookies = true });
        return await client.TrySignInAsync(user, password);
    }

    /// <summary>Signs in with a client that keeps cookies and does not follow redirects.</summary>
    public static async Task<Outcome> TrySignInAsync(this HttpClient client, string user, string password)
    {
        var token = AntiforgeryToken(await client.GetStringAsync("/login"));
        using var form = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["_handler"] = "login",
            ["__RequestVerificationToken"] = token,
            ["Input.UserName"] = user,
            ["Input.Password"] = password,
        });
        using var response = await client.PostAsync("/login", form);
        var cookie = response.Headers.TryGetValues("Set-Cookie", out var cookies)
            ? cookies.Select(c => c.Split(';')[0]).FirstOrDefault(c => c.StartsWith(CookieName + "=", StringComparison.Ordinal) && c.Length > CookieName.Length + 1)
            : null;
        return new Outcome(response.StatusCode, cookie, await response.Content.ReadAsStringAsync());
    }

    /// <summary>Signs in and returns the auth cookie; fails the test when sign-in is refused.</summary>
    public static async Task<string> SignInAsync(this DashboardHost host, string user, string password)
    {
        var outcome = await host.TrySignInAsync(user, password);
        Assert.True(outcome.Cookie is not null, $"sign-in of {user} refused ({outcome.Status})");
        return outcome.Cookie!;
    }

    /// <summary>Posts the layout's sign-out form of a page, as the browser holding <paramref name="cookie"/> does.</summary>
    public static async Task<HttpResponseMessage> SignOutAsync(this DashboardHost host, string cookie)
    {
        using var client = host.CreateClient(new() { AllowAutoRedirect = false, HandleCookies = false });
        using var pageRequest = new HttpRequestMessage(HttpMethod.Get, "/jobs");
        pageRequest.Headers.Add("Cookie", cookie);
        using var page = await client.SendAsync(pageRequest);
        var antiforgeryCookie = page.Headers.GetValues("Set-Cookie").Select(c => c.Split(';')[0]).Single(c => c.StartsWith(".AspNetCore.Antiforgery", StringComparison.Ordinal));
        using var logout = new HttpRequestMessage(HttpMethod.Post, "/account/logout")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string> { ["__RequestVerificationToken"] = AntiforgeryToken(await page.Content.ReadAsStringAsync()) }),
        };
        logout.Headers.Add("Cookie", $"{cookie}; {antiforgeryCookie}");
        logout.Headers.Add("Origin", "http://localhost");
        return await client.SendAsync(logout);
    }

    /// <summary>A client that sends exactly this cookie with every request (a copied cookie, as a thief would use it).</summary>
    public static HttpClient WithCookie(this DashboardHost host, string cookie)
    {
        var client = host.CreateClient(new() { AllowAutoRedirect = false, HandleCookies = false });
        client.DefaultRequestHeaders.Add("Cookie", cookie);
        return client;
    }

    /// <summary>The antiforgery token of the first form on the page.</summary>
    public static string AntiforgeryToken(string page)
    {
        var match = TokenInput().Match(page);
        Assert.True(match.Success, "the page has no antiforgery token");
        return WebUtility.HtmlDecode(match.Groups[1].Value);
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" value=\"([^\"]+)\"")]
    private static partial Regex TokenInput();
}
