using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Components.Server;

namespace MetaAnomaly.Dashboard.Security;

/// <summary>
/// Re-checks an open dashboard circuit's session while it lives (its cookie was checked only when it connected), so
/// that a revoked session leaves open pages too.
/// </summary>
internal sealed class SessionRevalidator(ILoggerFactory loggerFactory, IAccountStore accounts)
    : RevalidatingServerAuthenticationStateProvider(loggerFactory)
{
    protected override TimeSpan RevalidationInterval => TimeSpan.FromSeconds(30);

    protected override async Task<bool> ValidateAuthenticationStateAsync(AuthenticationState authenticationState, CancellationToken cancellationToken) =>
        await accounts.IsCurrentSessionAsync(authenticationState.User, cancellationToken);
}
