namespace MetaAnomaly.Dashboard.Hosting;

/// <summary>
/// A browser that asks for an address with no page gets the dashboard's "not found" page (status 404); API clients,
/// and anything under <c>/api</c>, keep the ProblemDetails JSON of <c>UseStatusCodePages</c>.
/// </summary>
internal static class BrowserNotFoundPage
{
    public const string Path = "/not-found";

    public static IApplicationBuilder UseBrowserNotFoundPage(this IApplicationBuilder app) =>
        app.UseWhen(IsPageRequest, branch => branch.UseStatusCodePagesWithReExecute(Path, createScopeForStatusCodePages: true));

    private static bool IsPageRequest(HttpContext context) =>
        HttpMethods.IsGet(context.Request.Method)
        && !context.Request.Path.StartsWithSegments("/api")
        && context.Request.GetTypedHeaders().Accept.Any(a => a.MediaType.Equals("text/html", StringComparison.OrdinalIgnoreCase));
}
