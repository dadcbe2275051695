using System.Security.Cryptography;
using System.Text;
using MetaAnomaly.Ingest.Push;
using MetaAnomaly.Shared.Security;
using MetaAnomaly.Shared.Telemetry;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.Options;
using OpenTelemetry.Metrics;

namespace MetaAnomaly.Dashboard.Telemetry;

public static class TelemetryExtensions
{
    /// <summary>
    /// The product's own metrics through OpenTelemetry: the <see cref="ProductMetrics"/> meter that every project
    /// records on, the <see cref="ProductGauges"/> read at scrape time, and the Prometheus exporter that
    /// <see cref="MapProductMetrics"/> serves; <see cref="TelemetryOptions"/> validated at start.
    /// </summary>
    public static IServiceCollection AddProductTelemetry(this IServiceCollection services)
    {
        services.AddOptions<TelemetryOptions>().BindConfiguration(TelemetryOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<ProductGauges>();
        services.AddOpenTelemetry().WithMetrics(metrics => metrics
            .AddMeter(ProductMetrics.MeterName)
            .AddInstrumentation<ProductGauges>()
            .AddPrometheusExporter());
        return services;
    }

    /// <summary>
    /// <c>GET /metrics</c> in Prometheus' text format, for an admin (signed in or an admin API key) or the
    /// <c>Dashboard:Telemetry:MetricsKey</c> as a bearer token; 401 for anonymous callers, 403 for other identities.
    /// </summary>
    public static IEndpointRouteBuilder MapProductMetrics(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapPrometheusScrapingEndpoint("/metrics", meterProvider: null, configureBranchedPipeline: branch => branch.Use(async (context, next) =>
        {
            if (await RefusalAsync(context) is { } status)
            {
                context.Response.StatusCode = status;
                return;
            }
            await next(context);
        }), optionsName: null);
        return endpoints;
    }

    /// <summary>Null when the caller may scrape, else the status to answer.</summary>
    private static async Task<int?> RefusalAsync(HttpContext context)
    {
        var metricsKey = context.RequestServices.GetRequiredService<IOptions<TelemetryOptions>>().Value.MetricsKey;
        if (metricsKey is { Length: > 0 } && PushCredentials.Presented(context.Request) is { } presented
            && CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(presented), Encoding.UTF8.GetBytes(metricsKey)))
        {
            return null;
        }
        var authorization = context.RequestServices.GetRequiredService<IAuthorizationService>();
        if ((await authorization.AuthorizeAsync(context.User, AccessPolicies.Admin)).Succeeded)
        {
            return null;
        }
        return context.User.Identity?.IsAuthenticated == true ? StatusCodes.Status403Forbidden : StatusCodes.Status401Unauthorized;
    }
}
