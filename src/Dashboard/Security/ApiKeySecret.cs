using System.Security.Cryptography;
using System.Text;

namespace MetaAnomaly.Dashboard.Security;

/// <summary>
/// API key text: <c>mak_{id}_{secret}</c>. The id finds the stored key; only the SHA-256 of the secret is stored
/// (the secret is 32 random bytes, so a fast hash is enough), and the full text is shown once, at creation.
/// </summary>
public readonly record struct ApiKeySecret(string Id, string Secret)
{
    private const string Prefix = "mak_";

    public string Text => $"{Prefix}{Id}_{Secret}";

    public string SecretHash => HashSecret(Secret);

    public static ApiKeySecret Create() => new(
        Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6)),
        Base64Url(RandomNumberGenerator.GetBytes(32)));

    public static bool TryParse(string? text, out ApiKeySecret key)
    {
        key = default;
        if (text is null || !text.StartsWith(Prefix, StringComparison.Ordinal))
        {
            return false;
        }
        var rest = text[Prefix.Length..];
        var separator = rest.IndexOf('_');
        if (separator <= 0 || separator == rest.Length - 1)
        {
            return false;
        }
        key = new ApiKeySecret(rest[..separator], rest[(separator + 1)..]);
        return true;
    }

    public static string HashSecret(string secret) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(secret)));

    public static bool Matches(string secret, string storedHash) => CryptographicOperations.FixedTimeEquals(
        Encoding.ASCII.GetBytes(HashSecret(secret)), Encoding.ASCII.GetBytes(storedHash));

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
