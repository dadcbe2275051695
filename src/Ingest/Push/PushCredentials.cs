using System.Text;
using Microsoft.AspNetCore.Http;

namespace MetaAnomaly.Ingest.Push;

/// <summary>
/// The writer key a push client presents, in each place InfluxDB clients put it: <c>Authorization: Token KEY</c>
/// (v2 clients, Telegraf's influxdb_v2 output) or <c>Bearer KEY</c>, the password of Basic auth, or the <c>p</c>
/// query parameter (v1 clients, <c>u=&amp;p=</c>).
/// </summary>
public static class PushCredentials
{
    /// <summary>The presented key, or null when the request carries none.</summary>
    public static string? Presented(HttpRequest request)
    {
        var authorization = request.Headers.Authorization.ToString();
        foreach (var scheme in (string[])["Token ", "Bearer "])
        {
            if (authorization.StartsWith(scheme, StringComparison.OrdinalIgnoreCase))
            {
                return authorization[scheme.Length..].Trim();
            }
        }
        if (authorization.StartsWith("Basic ", StringComparison.OrdinalIgnoreCase))
        {
            return BasicPassword(authorization["Basic ".Length..].Trim());
        }
        return request.Query.TryGetValue("p", out var password) && !string.IsNullOrEmpty(password) ? password.ToString() : null;
    }

    private static string? BasicPassword(string encoded)
    {
        try
        {
            var text = Encoding.UTF8.GetString(Convert.FromBase64String(encoded));
            var colon = text.IndexOf(':');
            return colon >= 0 ? text[(colon + 1)..] : text;
        }
        catch (FormatException)
        {
            return null;
        }
    }
}
