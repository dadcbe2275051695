namespace MetaAnomaly.Dashboard.Security;

/// <summary>Until an admin account exists, sends page requests to <c>/setup</c>, where the first admin is created.</summary>
internal static class FirstStartSetup
{
    public const string SetupPath = "/setup";

    private static readonly string[] PassThrough = [SetupPath, "/health", "/api", "/write", "/openapi", "/_framework", "/_content", "/_blazor", "/account"];

    public static IApplicationBuilder UseFirstStartSetup(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        var path = context.Request.Path;
        var isPage = HttpMethods.IsGet(context.Request.Method)
            && !Path.HasExtension(path.Value)
            && !PassThrough.Any(prefix => path.StartsWithSegments(prefix, StringComparison.OrdinalIgnoreCase));
        if (isPage && !await context.RequestServices.GetRequiredService<IAccountStore>().HasAdminAsync(context.RequestAborted))
        {
            context.Response.Redirect(SetupPath);
            return;
        }
        await next(context);
    });
}
