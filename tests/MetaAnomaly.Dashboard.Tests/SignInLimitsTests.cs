using System.Net;
using MetaAnomaly.Dashboard.Security;
using MetaAnomaly.Dashboard.Tests.Support;

namespace MetaAnomaly.Dashboard.Tests;

/// <summary>Sign-in through the real form: lockout after failures, and the rate limits per account and per client.</summary>
public sealed class SignInLimitsTests
{
    [Fact]
    public async Task AccountLocksAfterFailuresAndRefusesEvenTheRightPasswordSayingWhenToRetry()
    {
        await using var host = Host(("Dashboard:SignIn:MaxFailures", "3"));
        for (var attempt = 1; attempt < 3; attempt++)
        {
            var wrong = await host.TrySignInAsync(DashboardHost.AdminUser, "wrong-password");
            Assert.Contains("data-testid=\"login-error\"", wrong.Page, StringComparison.Ordinal);
        }
        var third = await host.TrySignInAsync(DashboardHost.AdminUser, "wrong-password");
        Assert.Contains("data-testid=\"login-locked\"", third.Page, StringComparison.Ordinal);

        var right = await host.TrySignInAsync(DashboardHost.AdminUser, DashboardHost.AdminPassword);
        Assert.Null(right.Cookie);
        Assert.Contains("try again after", right.Page, StringComparison.Ordinal);
        Assert.Contains("(in 5 minutes)", right.Page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UnknownNamesLockLikeRealOnes()
    {
        await using var host = Host(("Dashboard:SignIn:MaxFailures", "2"));
        await host.TrySignInAsync("nobody-here", "wrong-password");
        var second = await host.TrySignInAsync("nobody-here", "wrong-password");
        Assert.Contains("data-testid=\"login-locked\"", second.Page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SuccessfulSignInForgetsEarlierFailures()
    {
        await using var host = Host(("Dashboard:SignIn:MaxFailures", "2"));
        await host.TrySignInAsync(DashboardHost.AdminUser, "wrong-password");
        await host.SignInAsync(DashboardHost.AdminUser, DashboardHost.AdminPassword);
        var wrongAgain = await host.TrySignInAsync(DashboardHost.AdminUser, "wrong-password");
        Assert.Contains("data-testid=\"login-error\"", wrongAgain.Page, StringComparison.Ordinal);
        Assert.DoesNotContain("data-testid=\"login-locked\"", wrongAgain.Page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task OneClientIsRateLimitedAcrossAccountNames()
    {
        await using var host = Host(("Dashboard:SignIn:ClientAttemptsPerMinute", "3"));
        for (var attempt = 0; attempt < 3; attempt++)
        {
            Assert.Equal(HttpStatusCode.OK, (await host.TrySignInAsync($"guess-{attempt}", "wrong-password")).Status);
        }
        var refused = await host.TrySignInAsync("guess-3", "wrong-password");
        Assert.Equal(HttpStatusCode.TooManyRequests, refused.Status);
        Assert.Contains("try again in", refused.Page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task OneAccountIsRateLimitedWhateverTheOutcome()
    {
        await using var host = Host(("Dashboard:SignIn:AccountAttemptsPerMinute", "2"));
        await host.SignInAsync(DashboardHost.AdminUser, DashboardHost.AdminPassword);
        await host.SignInAsync(DashboardHost.AdminUser, DashboardHost.AdminPassword);
        var refused = await host.TrySignInAsync(DashboardHost.AdminUser, DashboardHost.AdminPassword);
        Assert.Equal(HttpStatusCode.TooManyRequests, refused.Status);
        Assert.Null(refused.Cookie);
        Assert.Equal(HttpStatusCode.OK, (await host.TrySignInAsync("someone-else", "wrong-password")).Status);
    }

    private static DashboardHost Host(params (string Key, string Value)[] settings)
    {
        var all = DashboardHost.QuietSettings();
        foreach (var (key, value) in settings)
        {
            all[key] = value;
        }
        var host = new DashboardHost(all);
        host.StartServer();
        return host;
    }
}
