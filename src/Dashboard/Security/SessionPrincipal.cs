using System.Security.Claims;
using Microsoft.AspNetCore.Authentication.Cookies;

namespace MetaAnomaly.Dashboard.Security;

/// <summary>
/// The identity a sign-in cookie carries (name, role, session stamp), and the check that it is still the account's
/// current session: a cookie is refused once its account is deleted, its role or password changes, or it signs out.
/// </summary>
public static class SessionPrincipal
{
    public const string StampClaim = "session_stamp";

    public static ClaimsPrincipal Create(AccountSession session) => new(new ClaimsIdentity(
        [new Claim(ClaimTypes.Name, session.Name), new Claim(ClaimTypes.Role, session.Role), new Claim(StampClaim, session.Stamp)],
        CookieAuthenticationDefaults.AuthenticationScheme));

    public static async ValueTask<bool> IsCurrentSessionAsync(this IAccountStore accounts, ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        var name = user.FindFirstValue(ClaimTypes.Name);
        var stamp = user.FindFirstValue(StampClaim);
        if (name is null || stamp is null)
        {
            return false;
        }
        var current = await accounts.FindSessionAsync(name, cancellationToken);
        return current is not null && current.Stamp == stamp && user.IsInRole(current.Role);
    }
}
