using MetaAnomaly.Detection.Feedback;
using MetaAnomaly.Detection.Muting;
using MetaAnomaly.Detection.Notifications;
using MetaAnomaly.Detection.PostRules;
using MetaAnomaly.Detection.Preview;
using MetaAnomaly.Detection.Rules;
using MetaAnomaly.Detection.Scoring;
using MetaAnomaly.Detection.Sensitivity;
using MetaAnomaly.Detection.Services;
using MetaAnomaly.Detection.Sinks;
using MetaAnomaly.Detection.Storage;
using MetaAnomaly.Detection.Webhooks;
using MetaAnomaly.Shared.Security;
using MetaAnomaly.Shared.Forecasts;
using MetaAnomaly.Shared.Series;
using MetaAnomaly.Shared.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace MetaAnomaly.Detection.Extensions;

public static class DetectionExtensions
{
    /// <summary>
    /// Registers detection: options from <c>Detection</c> (validated at start), its tables, the detector (residual
    /// scorer, then the post-rules below, in order), the scoring cycle and service, the sinks a tick goes to, the
    /// adaptation mask (<see cref="IAdaptationMask"/>), feedback, the operators' sensitivities and the alert preview,
    /// live notifications and the webhook dispatcher. Needs <see cref="ISeriesBuffers"/>, <see cref="IOneStepForecaster"/> and <c>IStateDatabase</c> from the other projects.
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
        services.AddSingleton(sp => new SensitivityStore(
            IClusterStateDatabase.SharedOrOwn(sp), sp.GetRequiredService<TimeProvider>(),
            sp.GetService<IClusterStateDatabase>() is null ? null : SensitivityStore.SharedRefreshInterval, sp.GetRequiredService<ILogger<SensitivityStore>>()));
        services.AddHostedService(sp => sp.GetRequiredService<SensitivityStore>());
        services.AddSingleton<IThresholdSource>(sp => new SensitiveThresholds(
            sp.GetRequiredService<FeedbackThresholds>(), sp.GetRequiredService<SensitivityStore>().SensitivityOf));

        void AddSeriesPostRule(Func<DetectionOptions, IServiceProvider, SeriesKey, IPostRule?> create) => services.AddSingleton<IPostRuleFactory>(sp =>
            new PostRuleFactory(series => create(sp.GetRequiredService<IOptions<DetectionOptions>>().Value, sp, series)));
        void AddPostRule(Func<DetectionOptions, IServiceProvider, IPostRule?> create) => AddSeriesPostRule((o, sp, _) => create(o, sp));
        AddPostRule((o, _) => RecurrenceRule.Create(o));
        AddPostRule((o, _) => DeviationMemoryRule.Create(o));
        AddPostRule((o, _) => ExcusedReturnRule.Create(o));
        AddPostRule((o, _) => PointCalibrationRule.Create(o));
        AddPostRule((o, _) => SustainedRule.Create(o));
        AddPostRule((o, _) => FlatlineRule.Create(o));
        AddPostRule((o, _) => WarmupRule.Create(o));
        AddSeriesPostRule((o, sp, series) => AlarmRules.Create(o, sp.GetRequiredService<IThresholdSource>(), series));
        services.AddSingleton(sp => new AnomalyDetector(
            sp.GetRequiredService<IOptions<DetectionOptions>>().Value, sp.GetServices<IPostRuleFactory>(), sp.GetRequiredService<TimeProvider>()));

        services.AddSingleton<AnomalyAdaptationMask>();
        services.AddSingleton<IAdaptationMask>(sp => sp.GetRequiredService<AnomalyAdaptationMask>());
        services.AddSingleton(sp => new AlertPreview(
            sp.GetRequiredService<IAnomalyStore>(), sp.GetRequiredService<FeedbackThresholds>(), sp.GetRequiredService<IOneStepForecaster>(),
            sp.GetRequiredService<SensitivityStore>(), sp.GetRequiredService<IOptions<DetectionOptions>>(), sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton<IAnomalyNotifications, AnomalyNotificationService>();
        services.AddSingleton(sp => new FeedbackService(
            sp.GetRequiredService<IAnomalyStore>(), sp.GetRequiredService<AnomalyAdaptationMask>(),
            sp.GetRequiredService<FeedbackThresholds>(), sp.GetRequiredService<IAnomalyNotifications>()));
        services.AddSingleton<IAnomalyDirectory, LocalAnomalyDirectory>();

        // The dispatcher logs each failed attempt in one line with its reason, and the delivery log keeps every attempt:
        // an HTTP logger (the host's included) would log every failure of a dead endpoint a second time.
        services.AddHttpClient(WebhookSender.ClientName).RemoveAllLoggers();
        services.TryAddSingleton<ISecretProtector, UnavailableSecretProtector>();
        services.AddSingleton(sp => new WebhookEndpointStore(
            IClusterStateDatabase.SharedOrOwn(sp), sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ISecretProtector>()));
        services.AddSingleton<WebhookDeliveryStore>();
        services.TryAddSingleton<IWebhookQueue>(sp => sp.GetRequiredService<WebhookDeliveryStore>());
        services.AddSingleton<IWebhookManagement, WebhookManagement>();
        services.AddSingleton<WebhookSender>();
        services.AddSingleton(sp => new MaintenanceWindowStore(IClusterStateDatabase.SharedOrOwn(sp), sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton<DashboardLink>();
        services.TryAddSingleton<IWebhookClaims, LocalWebhookClaims>();
        services.AddSingleton<WebhookOutbox>();
        services.AddSingleton(sp => new WebhookDispatcher(
            sp.GetRequiredService<WebhookEndpointStore>(), sp.GetRequiredService<WebhookDeliveryStore>(), sp.GetRequiredService<WebhookSender>(),
            sp.GetRequiredService<DashboardLink>(),
            sp.GetRequiredService<IOptions<DetectionOptions>>(),
            sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILogger<WebhookDispatcher>>(), sp.GetRequiredService<IWebhookQueue>()));
        services.AddHostedService(sp => sp.GetRequiredService<WebhookDispatcher>());

        // The sinks of every tick, in order; sinks registered after AddDetection (a bench's) run after these.
        services.AddSingleton<IDetectionSink, AdaptationMaskSink>();
        services.AddSingleton<IDetectionSink, LiveNotificationSink>();
        services.AddSingleton<IDetectionSink, WebhookOutboxSink>();
        services.AddSingleton<IDetectionSink, WriteBackSink>();
        services.AddSingleton<IScoringCycle, ScoringCycle>();
        services.AddHostedService<ScoringService>();
        return builder;
    }

    /// <summary>
    /// The detector exactly as <see cref="AddDetection"/> composes it, outside a host, with the given options (not
    /// validated), thresholds and clock: the NAB evaluation and tests replay series through it.
    /// </summary>
    public static AnomalyDetector CreateDetector(DetectionOptions options, IThresholdSource thresholds, TimeProvider time)
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.AddDetection();
        builder.Services.AddSingleton(Options.Create(options));
        builder.Services.AddSingleton(thresholds);
        builder.Services.AddSingleton(time);
        return builder.Services.BuildServiceProvider().GetRequiredService<AnomalyDetector>();
    }
}
