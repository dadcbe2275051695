using Microsoft.AspNetCore.Authentication.Cookies;

namespace MetaAnomaly.Dashboard.Security;

/// <summary>
/// Refuses a state-changing request (any method but GET, HEAD, OPTIONS, TRACE) and a WebSocket handshake that a
/// sign-in cookie authenticates unless the browser says it comes from the dashboard's own pages:
/// <c>Sec-Fetch-Site: same-origin</c>, or, from browsers without it, an <c>Origin</c> equal to this request's. SameSite
/// alone does not stop another port of the same host. API keys are not sent by browsers on their own and pass.
/// </summary>
internal static class SameOriginCookieRequests
{
    public static IApplicationBuilder UseSameOriginCookieRequests(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        if (IsCookieAuthenticated(context) && ChangesState(context) && !IsSameOrigin(context.Request))
        {
            await Results.Problem(
                title: "Cross-origin request refused",
                detail: "A signed-in browser may change things only from this dashboard's own pages; scripts use an API key.",
                statusCode: StatusCodes.Status403Forbidden).ExecuteAsync(context);
            return;
        }
        await next(context);
    });

    private static bool IsCookieAuthenticated(HttpContext context) =>
        context.User.Identities.Any(i => i.IsAuthenticated && i.AuthenticationType == CookieAuthenticationDefaults.AuthenticationScheme);

    private static bool ChangesState(HttpContext context)
    {
        var method = context.Request.Method;
        return context.WebSockets.IsWebSocketRequest
            || !(HttpMethods.IsGet(method) || HttpMethods.IsHead(method) || HttpMethods.IsOptions(method) || HttpMethods.IsTrace(method));
    }

    private static bool IsSameOrigin(HttpRequest request)
    {
        var fetchSite = request.Headers["Sec-Fetch-Site"].ToString();
        if (fetchSite.Length > 0)
        {
            return fetchSite == "same-origin";
        }
        var origin = request.Headers.Origin.ToString();
        return origin.Length > 0 && string.Equals(origin, $"{request.Scheme}://{request.Host}", StringComparison.OrdinalIgnoreCase);
    }
}
