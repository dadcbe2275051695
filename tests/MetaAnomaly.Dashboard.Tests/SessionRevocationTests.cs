using System.Net;
using MetaAnomaly.Dashboard.Security;
using MetaAnomaly.Dashboard.Tests.Support;

namespace MetaAnomaly.Dashboard.Tests;

/// <summary>A sign-in cookie stops working as soon as its session ends: sign-out, password change, role change, deletion.</summary>
public sealed class SessionRevocationTests(QuietDashboard dashboard) : IClassFixture<QuietDashboard>
{
    private const string Password = "session-password";

    private readonly DashboardHost _host = dashboard.Host;

    [Fact]
    public async Task SigningOutRefusesEveryCopyOfTheCookie()
    {
        var name = await NewAccountAsync(DashboardRoles.Viewer);
        var cookie = await _host.SignInAsync(name, Password);
        var otherBrowser = await _host.SignInAsync(name, Password);
        using var client = _host.WithCookie(cookie);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/series")).StatusCode);

        using var signedOut = await _host.SignOutAsync(cookie);
        Assert.Equal(HttpStatusCode.Redirect, signedOut.StatusCode);

        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/api/series")).StatusCode);
        using var other = _host.WithCookie(otherBrowser);
        Assert.Equal(HttpStatusCode.Unauthorized, (await other.GetAsync("/api/series")).StatusCode);
    }

    [Fact]
    public async Task DeletedAccountsCookieIsRefused()
    {
        var name = await NewAccountAsync(DashboardRoles.Viewer);
        using var client = _host.WithCookie(await _host.SignInAsync(name, Password));
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/series")).StatusCode);

        Assert.True(await _host.Accounts.DeleteAccountAsync(name, CancellationToken.None));

        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/api/series")).StatusCode);
    }

    [Fact]
    public async Task DemotedAdminsCookieIsRefused()
    {
        var name = await NewAccountAsync(DashboardRoles.Admin);
        using var client = _host.WithCookie(await _host.SignInAsync(name, Password));
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/keys")).StatusCode);

        Assert.True(await _host.Accounts.ChangeRoleAsync(name, DashboardRoles.Viewer, CancellationToken.None));

        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/api/keys")).StatusCode);
        using var again = _host.WithCookie(await _host.SignInAsync(name, Password));
        Assert.Equal(HttpStatusCode.Forbidden, (await again.GetAsync("/api/keys")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await again.GetAsync("/api/series")).StatusCode);
    }

    [Fact]
    public async Task PasswordChangeRefusesOldCookiesAndOldPassword()
    {
        var name = await NewAccountAsync(DashboardRoles.Viewer);
        using var client = _host.WithCookie(await _host.SignInAsync(name, Password));

        Assert.True(await _host.Accounts.ChangePasswordAsync(name, "another-password", CancellationToken.None));

        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/api/series")).StatusCode);
        Assert.Null((await _host.TrySignInAsync(name, Password)).Cookie);
        await _host.SignInAsync(name, "another-password");
    }

    [Fact]
    public async Task PagesSendARevokedCookieToSignIn()
    {
        var name = await NewAccountAsync(DashboardRoles.Viewer);
        using var client = _host.WithCookie(await _host.SignInAsync(name, Password));
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/jobs")).StatusCode);

        await _host.Accounts.EndSessionsAsync(name, CancellationToken.None);

        using var page = await client.GetAsync("/jobs");
        Assert.Equal(HttpStatusCode.Redirect, page.StatusCode);
        Assert.StartsWith("/login", page.Headers.Location!.PathAndQuery, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheLastAdminCannotBeDemoted()
    {
        await using var host = new DashboardHost(DashboardHost.QuietSettings());
        host.StartServer();
        Assert.False(await host.Accounts.ChangeRoleAsync(DashboardHost.AdminUser, DashboardRoles.Viewer, CancellationToken.None));
        Assert.True(await host.Accounts.CreateAccountAsync("second-admin", Password, DashboardRoles.Admin, CancellationToken.None));
        Assert.True(await host.Accounts.ChangeRoleAsync(DashboardHost.AdminUser, DashboardRoles.Viewer, CancellationToken.None));
        Assert.False(await host.Accounts.ChangeRoleAsync("second-admin", DashboardRoles.Viewer, CancellationToken.None));
    }

    private async Task<string> NewAccountAsync(string role)
    {
        var name = "session-" + Guid.NewGuid().ToString("N")[..12];
        Assert.True(await _host.Accounts.CreateAccountAsync(name, Password, role, CancellationToken.None));
        return name;
    }
}
