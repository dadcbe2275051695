using System.Security.Claims;
using System.Text;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace MetaAnomaly.Dashboard.Security;

/// <summary>
/// Authenticates API keys presented as <c>X-Api-Key</c>, <c>Authorization: Bearer|Token KEY</c>, or, for InfluxDB v1
/// clients pushing to <c>/write</c>, as the password of Basic auth or the <c>p</c> query parameter.
/// </summary>
internal sealed class ApiKeyAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    IAccountStore accounts)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "ApiKey";
    public const string HeaderName = "X-Api-Key";

    /// <summary>Whether the request presents an API key at all (the policy scheme picks this handler then).</summary>
    public static bool Presents(HttpRequest request) => Presented(request) is not null;

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var presented = Presented(Request);
        if (presented is null)
        {
            return AuthenticateResult.NoResult();
        }
        var key = await accounts.VerifyApiKeyAsync(presented, Context.RequestAborted);
        if (key is null)
        {
            return AuthenticateResult.Fail("Unknown or revoked API key.");
        }
        var identity = new ClaimsIdentity(
            [new Claim(ClaimTypes.Name, $"key:{key.Name}"), new Claim(ClaimTypes.Role, key.Role), new Claim("api_key_id", key.Id)],
            SchemeName);
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName));
    }

    protected override Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        Response.StatusCode = StatusCodes.Status401Unauthorized;
        Response.Headers.WWWAuthenticate = "Bearer";
        return Task.CompletedTask;
    }

    private static string? Presented(HttpRequest request)
    {
        if (request.Headers.TryGetValue(HeaderName, out var header) && !string.IsNullOrWhiteSpace(header))
        {
            return header.ToString().Trim();
        }
        var authorization = request.Headers.Authorization.ToString();
        foreach (var scheme in (string[])["Bearer ", "Token "])
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
        return request.Path.StartsWithSegments("/write") && request.Query.TryGetValue("p", out var password) && !string.IsNullOrEmpty(password)
            ? password.ToString()
            : null;
    }

    private static string? BasicPassword(string encoded)
    {
        try
        {
            var text = Encoding.UTF8.GetString(Convert.FromBase64String(encoded));
            var colon = text.IndexOf(':');
            return colon >= 0 ? text[(colon + 1)..] : null;
        }
        catch (FormatException)
        {
            return null;
        }
    }
}
