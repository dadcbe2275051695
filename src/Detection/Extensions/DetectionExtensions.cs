using MetaAnomaly.Detection.Feedback;
using MetaAnomaly.Detection.Notifications;
using MetaAnomaly.Detection.Rules;
using MetaAnomaly.Detection.Scoring;
using MetaAnomaly.Detection.Services;
using MetaAnomaly.Detection.Sinks;
using MetaAnomaly.Detection.Storage;
using MetaAnomaly.Detection.Webhooks;
using MetaAnomaly.Shared.Forecasts;
using MetaAnomaly.Shared.Series;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace MetaAnomaly.Detection.Extensions;

public static class DetectionExtensions
{
    /// <summary>
    /// Registers detection: options from <c>Detection</c> (validated at start), its tables, the scoring service, the
    /// adaptation mask (<see cref="IAdaptationMask"/>), feedback, live notifications and the webhook dispatcher. Needs
    /// <see cref="ISeriesBuffers"/>, <see cref="IOneStepForecaster"/> and <c>IStateDatabase</c> from the other projects.
    /// </summary>
    public static IHostApplicationBuilder AddDetection(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<DetectionOptions>().BindConfiguration(DetectionOptions.Section).ValidateOnStart();
        services.AddSingleton<IValidateOptions<DetectionOptions>, DetectionOptionsValidator>();
        services.TryAddSingleton(TimeProvider.System);
        foreach (var migration in DetectionMigrations.All)
        {
            services.AddSingleton(migration);
        }

        services.AddSingleton<IAnomalyStore, SqlAnomalyStore>();
        services.AddSingleton<FeedbackThresholds>();
        services.AddSingleton<IThresholdSource>(sp => sp.GetRequiredService<FeedbackThresholds>());
        services.AddSingleton(sp => new AnomalyDetector(
            sp.GetRequiredService<IOptions<DetectionOptions>>().Value, sp.GetRequiredService<IThresholdSource>(), sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton<AnomalyAdaptationMask>();
        services.AddSingleton<IAdaptationMask>(sp => sp.GetRequiredService<AnomalyAdaptationMask>());
        services.AddSingleton<IAnomalyNotifications, AnomalyNotificationService>();
        services.AddSingleton(sp => new FeedbackService(
            sp.GetRequiredService<IAnomalyStore>(), sp.GetRequiredService<AnomalyAdaptationMask>(),
            sp.GetRequiredService<FeedbackThresholds>(), sp.GetRequiredService<IAnomalyNotifications>()));

        services.AddHttpClient(WebhookSender.ClientName);
        services.AddSingleton<WebhookStore>();
        services.AddSingleton<WebhookSender>();
        services.AddSingleton<WebhookOutbox>();
        services.AddSingleton(sp => new WebhookDispatcher(
            sp.GetRequiredService<WebhookStore>(), sp.GetRequiredService<WebhookSender>(), sp.GetRequiredService<IOptions<DetectionOptions>>(),
            sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILogger<WebhookDispatcher>>()));
        services.AddHostedService(sp => sp.GetRequiredService<WebhookDispatcher>());

        services.AddSingleton(sp => new ScoringCycle(
            sp.GetRequiredService<ISeriesBuffers>(), sp.GetRequiredService<IOneStepForecaster>(), sp.GetRequiredService<AnomalyDetector>(),
            sp.GetRequiredService<IAnomalyStore>(), sp.GetRequiredService<AnomalyAdaptationMask>(), sp.GetRequiredService<IAnomalyNotifications>(),
            sp.GetRequiredService<WebhookOutbox>(), sp.GetServices<IWriteBack>(), sp.GetServices<IDetectionSink>(), sp.GetRequiredService<IOptions<DetectionOptions>>(),
            sp.GetRequiredService<ILogger<ScoringCycle>>()));
        services.AddSingleton<IScoringCycle>(sp => sp.GetRequiredService<ScoringCycle>());
        services.AddHostedService<ScoringService>();
        return builder;
    }
}
