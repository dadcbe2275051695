using MetaAnomaly.Dashboard.Security;

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
