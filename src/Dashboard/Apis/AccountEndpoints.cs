using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Http.HttpResults;

namespace MetaAnomaly.Dashboard.Apis;

public static class AccountEndpoints
{
    /// <summary><c>POST /account/logout</c>: the layout's sign-out form (antiforgery-checked) ends the cookie session.</summary>
    public static IEndpointRouteBuilder MapAccountEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapPost("/account/logout", LogoutAsync).RequireAuthorization().DisableAntiforgery().ExcludeFromDescription();
        return app;
    }

    private static async Task<Results<RedirectHttpResult, BadRequest>> LogoutAsync(HttpContext context, IAntiforgery antiforgery)
    {
        if (!await antiforgery.IsRequestValidAsync(context))
        {
            return TypedResults.BadRequest();
        }
        await context.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
        return TypedResults.LocalRedirect("/login");
    }
}
