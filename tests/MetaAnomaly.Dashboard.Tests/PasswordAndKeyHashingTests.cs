using MetaAnomaly.Dashboard.Security;
using MetaAnomaly.Dashboard.Tests.Support;

namespace MetaAnomaly.Dashboard.Tests;

public sealed class PasswordAndKeyHashingTests
{
    [Fact]
    public void PasswordVerifiesOnlyWithItself()
    {
        var stored = PasswordHasher.Hash("s3cret-password");
        Assert.DoesNotContain("s3cret-password", stored, StringComparison.Ordinal);
        Assert.True(PasswordHasher.Verify("s3cret-password", stored));
        Assert.False(PasswordHasher.Verify("s3cret-passwore", stored));
    }

    [Fact]
    public void SamePasswordHashesDifferentlyEachTime() =>
        Assert.NotEqual(PasswordHasher.Hash("same-password"), PasswordHasher.Hash("same-password"));

    [Fact]
    public void TheHashAnUnknownNameIsCheckedAgainstIsMadeLikeAnAccountsSoItsCheckCostsTheSame()
    {
        var account = PasswordHasher.Hash("s3cret-password").Split('$');
        var noAccount = PasswordHasher.NoAccountHash.Split('$');

        Assert.Equal(account[0], noAccount[0]);
        Assert.Equal(account[1], noAccount[1]);
        Assert.Equal(Convert.FromBase64String(account[2]).Length, Convert.FromBase64String(noAccount[2]).Length);
        Assert.Equal(Convert.FromBase64String(account[3]).Length, Convert.FromBase64String(noAccount[3]).Length);
        Assert.Equal(PasswordHasher.NoAccountHash, PasswordHasher.NoAccountHash);
        Assert.False(PasswordHasher.Verify("s3cret-password", PasswordHasher.NoAccountHash));
    }

    [Fact]
    public async Task AnUnknownNameAndAWrongPasswordAreBothRefusedWithNoSession()
    {
        await using var host = new DashboardHost(DashboardHost.QuietSettings());
        host.StartServer();

        Assert.Null(await host.Accounts.VerifyPasswordAsync("nobody-by-this-name", DashboardHost.AdminPassword, CancellationToken.None));
        Assert.Null(await host.Accounts.VerifyPasswordAsync(DashboardHost.AdminUser, "wrong-password", CancellationToken.None));
        Assert.NotNull(await host.Accounts.VerifyPasswordAsync(DashboardHost.AdminUser, DashboardHost.AdminPassword, CancellationToken.None));
    }

    [Fact]
    public void ApiKeyTextRoundTripsAndOnlyItsSecretMatches()
    {
        var key = ApiKeySecret.Create();
        Assert.True(ApiKeySecret.TryParse(key.Text, out var parsed));
        Assert.Equal(key, parsed);
        Assert.True(ApiKeySecret.Matches(parsed.Secret, key.SecretHash));
        Assert.False(ApiKeySecret.Matches(parsed.Secret + "x", key.SecretHash));
        Assert.False(ApiKeySecret.TryParse("Bearer something", out _));
    }
}
