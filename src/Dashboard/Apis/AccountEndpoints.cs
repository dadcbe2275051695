using MetaAnomaly.Dashboard.Security;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Http.HttpResults;

namespace MetaAnomaly.Dashboard.Apis;

public static class AccountEndpoints
{
    /// <summary>
    /// <c>POST /account/logout</c>: the layout's sign-out form (antiforgery-checked) ends every session of the account,
    /// so that a copy of the cookie is refused too.
    /// </summary>
    public static IEndpointRouteBuilder MapAccountEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapPost("/account/logout", LogoutAsync).RequireAuthorization().DisableAntiforgery().ExcludeFromDescription();
        return app;
    }

    private static async Task<Results<RedirectHttpResult, BadRequest>> LogoutAsync(HttpContext context, IAntiforgery antiforgery, IAccountStore accounts)
    {
        if (!await antiforgery.IsRequestValidAsync(context))
        {
            return TypedResults.BadRequest();
        }
        if (context.User.Identity?.Name is { } name)
        {
            await accounts.EndSessionsAsync(name, context.RequestAborted);
        }
        await context.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
        return TypedResults.LocalRedirect("/login");
    }
}
