using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;

namespace MetaAnomaly.Dashboard.Security;

/// <summary>
/// The ASP.NET Core rate limiter on the sign-in form (<c>POST /login</c>): a fixed window per client address and one per
/// account name (<see cref="SignInOptions"/>). A refused attempt gets 429 with <c>Retry-After</c> and says when to retry.
/// </summary>
internal static class SignInRateLimits
{
    private const string SignInPath = "/login";
    private const string UserNameField = "Input.UserName";
    private static readonly TimeSpan Window = TimeSpan.FromMinutes(1);

    public static IServiceCollection AddSignInRateLimits(this IServiceCollection services)
    {
        services.AddRateLimiter(_ => { });
        services.AddOptions<RateLimiterOptions>().Configure<IOptions<DashboardOptions>>((limiter, dashboard) =>
        {
            var settings = dashboard.Value.SignIn;
            limiter.GlobalLimiter = PartitionedRateLimiter.CreateChained(
                PerSignIn(context => "client:" + (context.Connection.RemoteIpAddress?.ToString() ?? "local"), settings.ClientAttemptsPerMinute),
                PerSignIn(context => "account:" + UserName(context), settings.AccountAttemptsPerMinute));
            limiter.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            limiter.OnRejected = RefuseAsync;
        });
        return services;
    }

    /// <summary>Reads the sign-in form first (the account limiter partitions on its user name), then applies the limits.</summary>
    public static IApplicationBuilder UseSignInRateLimits(this IApplicationBuilder app)
    {
        app.Use(async (context, next) =>
        {
            if (IsSignIn(context))
            {
                await context.Request.ReadFormAsync(context.RequestAborted);
            }
            await next(context);
        });
        return app.UseRateLimiter();
    }

    private static PartitionedRateLimiter<HttpContext> PerSignIn(Func<HttpContext, string> partition, int attemptsPerMinute) =>
        PartitionedRateLimiter.Create<HttpContext, string>(context => IsSignIn(context)
            ? RateLimitPartition.GetFixedWindowLimiter(partition(context), _ => new FixedWindowRateLimiterOptions
            {
                PermitLimit = attemptsPerMinute,
                Window = Window,
                QueueLimit = 0,
            })
            : RateLimitPartition.GetNoLimiter(""));

    private static bool IsSignIn(HttpContext context) =>
        HttpMethods.IsPost(context.Request.Method) && context.Request.Path.Equals(SignInPath, StringComparison.OrdinalIgnoreCase) && context.Request.HasFormContentType;

    private static string UserName(HttpContext context) => context.Request.Form[UserNameField].ToString();

    private static async ValueTask RefuseAsync(OnRejectedContext rejected, CancellationToken cancellationToken)
    {
        var seconds = rejected.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter) ? Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds)) : (int)Window.TotalSeconds;
        var response = rejected.HttpContext.Response;
        response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        response.ContentType = "text/plain; charset=utf-8";
        await response.WriteAsync($"Too many sign-in attempts: try again in {seconds} seconds.", cancellationToken);
    }
}
