using System.Text.Json.Serialization;
using MetaAnomaly.Dashboard.Apis;
using MetaAnomaly.Dashboard.Charts;
using MetaAnomaly.Dashboard.Components;
using MetaAnomaly.Dashboard.Health;
using MetaAnomaly.Dashboard.Overview;
using MetaAnomaly.Dashboard.Jobs;
using MetaAnomaly.Dashboard.Security;
using MetaAnomaly.Dashboard.Telemetry;
using MetaAnomaly.Detection.Apis;
using MetaAnomaly.Ingest.Extensions;
using Microsoft.Extensions.DependencyInjection.Extensions;
using MetaAnomaly.Shared.Security;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.DataProtection;
using MudBlazor.Services;
using Quartz;

namespace MetaAnomaly.Dashboard.Extensions;

public static class Extensions
{
    private const string CookieOrApiKey = "CookieOrApiKey";

    /// <summary>
    /// The host's own services: options, sign-in (cookie) and API keys, the access policies, Blazor with MudBlazor,
    /// the Quartz scheduler with its run recorder, health checks, ProblemDetails and the OpenAPI document.
    /// </summary>
    public static IHostApplicationBuilder AddDashboard(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<DashboardOptions>()
            .BindConfiguration(DashboardOptions.SectionName)
            .ValidateDataAnnotations()
            .Validate(o => string.IsNullOrEmpty(o.AdminPassword) || o.AdminPassword.Length >= PasswordHasher.MinimumLength,
                $"Dashboard:AdminPassword must be at least {PasswordHasher.MinimumLength} characters.")
            .ValidateOnStart();
        services.TryAddSingleton(TimeProvider.System);

        foreach (var migration in DashboardMigrations.All)
        {
            services.AddSingleton(migration);
        }
        services.AddSingleton<IAccountStore, StateDatabaseAccountStore>();
        services.AddHostedService<AdminAccountSeeder>();
        services.AddSecurity(builder.Configuration, builder.Environment.ContentRootPath);

        services.AddRazorComponents().AddInteractiveServerComponents();
        services.AddCascadingAuthenticationState();
        services.AddMudServices();

        services.AddSingleton<SeriesChartBuilder>();
        services.AddSingleton<OverviewReader>();

        services.AddSingleton<JobRunStore>();
        services.AddSingleton<JobRunRecorder>();
        services.AddSingleton<JobCatalog>();
        services.AddQuartz(q => q.AddJobListener(sp => sp.GetRequiredService<JobRunRecorder>(), [GroupMatcher<JobKey>.AnyGroup()]));
        services.AddQuartzHostedService(o => o.WaitForJobsToComplete = true);

        services.AddHealthChecks()
            .AddCheck<StateDatabaseHealthCheck>("state-database");
        services.AddProblemDetails();
        services.ConfigureHttpJsonOptions(o =>
        {
            // Gaps and unknown scales are NaN: written as "NaN" rather than failing the response.
            o.SerializerOptions.NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals;
            o.SerializerOptions.Converters.Add(new SeriesKeyJsonConverter());
        });
        services.AddOpenApi();
        services.AddProductTelemetry();
        return builder;
    }

    /// <summary>Middleware and endpoints: security headers, first-start setup, auth, antiforgery, pages and the JSON API.</summary>
    public static WebApplication MapDashboard(this WebApplication app)
    {
        app.UseExceptionHandler();
        app.UseSecurityHeaders();
        app.UseStatusCodePages();
        app.UseFirstStartSetup();
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseAntiforgery();

        app.MapStaticAssets();
        app.MapHealthChecks("/health").AllowAnonymous();
        app.MapOpenApi().RequireAuthorization(AccessPolicies.Viewer);
        app.MapAccountEndpoints();
        app.MapApiKeysApi();
        app.MapJobsApi();
        app.MapSeriesApi();
        app.MapDetectionApi();
        app.MapIngestPush(AccessPolicies.Writer);
        app.MapProductMetrics();
        app.MapRazorComponents<App>().AddInteractiveServerRenderMode();
        return app;
    }

    private static void AddSecurity(this IServiceCollection services, IConfiguration configuration, string contentRoot)
    {
        var section = configuration.GetSection(DashboardOptions.SectionName);
        var keysPath = Path.GetFullPath(section.GetValue(nameof(DashboardOptions.KeysPath), DashboardOptions.Defaults.KeysPath)!, contentRoot);
        services.AddDataProtection().SetApplicationName("MetaAnomaly").PersistKeysToFileSystem(new DirectoryInfo(keysPath));
        var lifetime = section.GetValue(nameof(DashboardOptions.SessionLifetime), DashboardOptions.Defaults.SessionLifetime);
        services.AddAuthentication(CookieOrApiKey)
            .AddPolicyScheme(CookieOrApiKey, "Dashboard cookie or API key", o => o.ForwardDefaultSelector = context =>
                ApiKeyAuthenticationHandler.Presents(context.Request) ? ApiKeyAuthenticationHandler.SchemeName : CookieAuthenticationDefaults.AuthenticationScheme)
            .AddCookie(o =>
            {
                o.Cookie.Name = "metaanomaly.auth";
                o.Cookie.HttpOnly = true;
                o.Cookie.SameSite = SameSiteMode.Strict;
                o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
                o.LoginPath = "/login";
                o.AccessDeniedPath = "/denied";
                o.ExpireTimeSpan = lifetime;
                o.SlidingExpiration = true;
                o.Events.OnRedirectToLogin = context => StatusOrRedirect(context, StatusCodes.Status401Unauthorized);
                o.Events.OnRedirectToAccessDenied = context => StatusOrRedirect(context, StatusCodes.Status403Forbidden);
            })
            .AddScheme<AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(ApiKeyAuthenticationHandler.SchemeName, null);

        services.AddAuthorizationBuilder()
            .AddPolicy(AccessPolicies.Viewer, p => p.RequireRole(DashboardRoles.Viewer, DashboardRoles.Admin))
            .AddPolicy(AccessPolicies.Admin, p => p.RequireRole(DashboardRoles.Admin))
            .AddPolicy(AccessPolicies.Writer, p => p.RequireRole(DashboardRoles.Writer, DashboardRoles.Admin));
    }

    /// <summary>API and write requests get a status code; pages get the redirect to sign-in.</summary>
    private static Task StatusOrRedirect(RedirectContext<CookieAuthenticationOptions> context, int status)
    {
        var path = context.Request.Path;
        if (path.StartsWithSegments("/api") || path.StartsWithSegments("/write") || path.StartsWithSegments("/openapi"))
        {
            context.Response.StatusCode = status;
        }
        else
        {
            context.Response.Redirect(context.RedirectUri);
        }
        return Task.CompletedTask;
    }
}
