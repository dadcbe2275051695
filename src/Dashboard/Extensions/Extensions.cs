using System.Text.Json.Serialization;
using MetaAnomaly.Dashboard.Apis;
using MetaAnomaly.Dashboard.Charts;
using MetaAnomaly.Dashboard.Components;
using MetaAnomaly.Dashboard.Health;
using MetaAnomaly.Dashboard.OpenApi;
using MetaAnomaly.Dashboard.Overview;
using MetaAnomaly.Dashboard.Jobs;
using MetaAnomaly.Dashboard.Security;
using MetaAnomaly.Dashboard.Telemetry;
using MetaAnomaly.Detection.Apis;
using MetaAnomaly.Dashboard.Hosting;
using MetaAnomaly.Forecasting.Extensions;
using MetaAnomaly.Ingest.Extensions;
using Microsoft.Extensions.DependencyInjection.Extensions;
using MetaAnomaly.Shared.Security;
using MetaAnomaly.Shared.Series;
using MetaAnomaly.Shared.Storage;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Options;
using MudBlazor.Services;
using Quartz;

namespace MetaAnomaly.Dashboard.Extensions;

public static class Extensions
{
    private const string CookieOrApiKey = "CookieOrApiKey";

    /// <summary>
    /// The host's own services: options, where state is written (checked writable at start), sign-in (cookie sessions,
    /// rate limits, lockout) and API keys, the access policies, secret protection and redacted HTTP logs, Blazor with
    /// MudBlazor, the Quartz scheduler with its run recorder, health checks, ProblemDetails and the OpenAPI document.
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
        services.AddHostedService<ListenAddressCheck>();

        foreach (var migration in DashboardMigrations.All)
        {
            services.AddSingleton(migration);
        }
        services.AddSingleton<IAccountStore>(sp => new StateDatabaseAccountStore(
            IClusterStateDatabase.SharedOrOwn(sp), sp.GetRequiredService<TimeProvider>()));
        services.AddHostedService<AdminAccountSeeder>();
        var paths = StatePaths.Resolve(builder.Configuration, builder.Environment.ContentRootPath);
        services.AddSingleton(paths);
        services.AddSingleton<IValidateOptions<DashboardOptions>, WritableStatePaths>();
        services.PostConfigure<ForecastingOptions>(o => o.ModelDirectory = paths.Models);
        services.AddSecurity(builder.Configuration, paths);
        // The hosting layer's request logs print query strings, and InfluxDB clients send the writer key as p=.
        builder.Logging.AddFilter("Microsoft.AspNetCore.Hosting.Diagnostics", LogLevel.Warning);

        services.AddRazorComponents().AddInteractiveServerComponents();
        services.AddCascadingAuthenticationState();
        services.AddScoped<AuthenticationStateProvider, SessionRevalidator>();
        services.AddMudServices();

        services.AddSingleton<NormalBandWidth>();
        services.AddSingleton<SeriesChartBuilder>();
        services.AddSingleton<OverviewReader>();
        services.AddSingleton<ISeriesDirectory, LocalSeriesDirectory>();

        services.AddSingleton<JobRunStore>();
        services.AddSingleton<IJobRunHistory>(sp => sp.GetService<IClusterStateDatabase>() is { } cluster
            ? new ClusterJobRunStore(cluster)
            : sp.GetRequiredService<JobRunStore>());
        services.AddSingleton<JobRunRecorder>();
        services.AddSingleton<JobCatalog>();
        // On stop, running jobs see their CancellationToken cancelled and are waited for, within the host's shutdown timeout.
        services.AddQuartz(q =>
        {
            q.ConfigureScheduler(scheduler => scheduler.ShutdownJobInterruption = ShutdownJobInterruption.Always);
            q.AddJobListener(sp => sp.GetRequiredService<JobRunRecorder>(), [GroupMatcher<JobKey>.AnyGroup()]);
        });
        services.AddQuartzHostedService(o => o.WaitForJobsToComplete = true);

        services.AddHealthChecks()
            .AddCheck<StateDatabaseHealthCheck>("state-database");
        services.AddProblemDetails();
        services.ConfigureHttpJsonOptions(o =>
        {
            o.SerializerOptions.Converters.Add(new NonFiniteAsNullConverter());
            o.SerializerOptions.Converters.Add(new JsonStringEnumConverter());
            o.SerializerOptions.Converters.Add(new SeriesKeyJsonConverter());
        });
        services.AddOpenApi(o =>
        {
            o.AddDocumentTransformer<DeclaredSecurity>();
            o.AddOperationTransformer<DeclaredSecurity>();
            o.AddOperationTransformer<PushParameters>();
        });
        services.AddProductTelemetry();
        return builder;
    }

    /// <summary>
    /// Middleware and endpoints: security headers, ProblemDetails for error statuses (a page for a browser's unknown
    /// address), first-start setup, sign-in limits, auth, the same-origin check of cookie requests, antiforgery, pages
    /// and the JSON API.
    /// </summary>
    public static WebApplication MapDashboard(this WebApplication app)
    {
        app.UseExceptionHandler();
        app.UseSecurityHeaders();
        app.UseStatusCodePages();
        app.UseBrowserNotFoundPage();
        // Routing after the status-code pages, so that the not-found page's re-execution is routed.
        app.UseRouting();
        app.UseFirstStartSetup();
        app.UseSignInRateLimits();
        app.UseAuthentication();
        app.UseSameOriginCookieRequests();
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

    private static void AddSecurity(this IServiceCollection services, IConfiguration configuration, StatePaths paths)
    {
        services.AddSingleton<SessionCookieEvents>();
        services.AddSingleton<ApiKeyOnlyRoutes>();
        services.AddSingleton<SignInLockout>();
        services.AddSignInRateLimits();
        var section = configuration.GetSection(DashboardOptions.SectionName);
        PrivateStateFiles.Apply(paths.Database);
        services.AddDataProtection().SetApplicationName("MetaAnomaly").PersistKeysToFileSystem(new DirectoryInfo(paths.Keys));
        services.AddSingleton<ISecretProtector, DataProtectionSecretProtector>();
        services.AddSingleton<HostOnlyHttpClientLogger>();
        services.ConfigureHttpClientDefaults(http => http.RemoveAllLoggers().AddLogger<HostOnlyHttpClientLogger>());
        var lifetime = section.GetValue(nameof(DashboardOptions.SessionLifetime), DashboardOptions.Defaults.SessionLifetime);
        services.AddAuthentication(CookieOrApiKey)
            .AddPolicyScheme(CookieOrApiKey, "Dashboard cookie or API key", o => o.ForwardDefaultSelector = context =>
                ApiKeyAuthenticationHandler.Presents(context.Request) || context.RequestServices.GetRequiredService<ApiKeyOnlyRoutes>().Match(context.Request.Path)
                    ? ApiKeyAuthenticationHandler.SchemeName
                    : CookieAuthenticationDefaults.AuthenticationScheme)
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
                o.EventsType = typeof(SessionCookieEvents);
            })
            .AddScheme<AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(ApiKeyAuthenticationHandler.SchemeName, null);

        services.AddAuthorizationBuilder()
            .AddPolicy(AccessPolicies.Viewer, p => p.RequireRole(DashboardRoles.Viewer, DashboardRoles.Admin))
            .AddPolicy(AccessPolicies.Admin, p => p.RequireRole(DashboardRoles.Admin))
            .AddPolicy(AccessPolicies.Writer, p => p.RequireRole(DashboardRoles.Writer, DashboardRoles.Admin));
    }
}
