using System.Security.Cryptography;
using System.Text;

namespace MetaAnomaly.Detection.Webhooks;

/// <summary>
/// The signature header: <c>X-MetaAnomaly-Signature: t=UNIX_SECONDS,v1=HEX</c>, HEX = HMAC-SHA256(secret,
/// "UNIX_SECONDS.BODY"). Receivers recompute it and reject old timestamps to stop replays.
/// </summary>
public static class WebhookSignature
{
    public const string Header = "X-MetaAnomaly-Signature";
    public const string IdempotencyHeader = "Idempotency-Key";

    public static string Sign(string secret, long unixSeconds, string body)
    {
        var mac = HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes($"{unixSeconds}.{body}"));
        return $"t={unixSeconds},v1={Convert.ToHexStringLower(mac)}";
    }

    /// <summary>Checks a header against the body, accepting timestamps within <paramref name="tolerance"/> of now.</summary>
    public static bool Verify(string secret, string header, string body, DateTimeOffset now, TimeSpan tolerance)
    {
        var parts = header.Split(',').Select(p => p.Split('=', 2)).Where(p => p.Length == 2).ToDictionary(p => p[0], p => p[1]);
        if (!parts.TryGetValue("t", out var t) || !long.TryParse(t, out var seconds) || !parts.TryGetValue("v1", out var given))
        {
            return false;
        }
        if ((now - DateTimeOffset.FromUnixTimeSeconds(seconds)).Duration() > tolerance)
        {
            return false;
        }
        var expected = Sign(secret, seconds, body);
        return CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(expected), Encoding.ASCII.GetBytes($"t={t},v1={given}"));
    }
}
