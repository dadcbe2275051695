using MetaAnomaly.Forecasting.Learners;
using MetaAnomaly.Forecasting.Learners.Selection;
using MetaAnomaly.Forecasting.ReadModel;
using MetaAnomaly.Forecasting.Registry;
using MetaAnomaly.Forecasting.Serving;
using MetaAnomaly.Shared.Forecasts;
using MetaAnomaly.Shared.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Quartz;

namespace MetaAnomaly.Forecasting.Extensions;

public static class ForecastingExtensions
{
    /// <summary>
    /// The forecasting core: options from "Forecasting" (validated at start), the learners, the model registry and its
    /// migration, <see cref="ForecastingService"/> as <see cref="IOneStepForecaster"/>, <see cref="IForecastingReadModel"/>
    /// and <see cref="IForecastingCommands"/>, the start-up/catch-up service and the daily Quartz job. Needs
    /// <see cref="IStateDatabase"/> and <c>ISeriesBuffers</c> (Ingest) and the host's <c>AddQuartzHostedService</c>.
    /// </summary>
    public static IHostApplicationBuilder AddForecasting(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<ForecastingOptions>().BindConfiguration(ForecastingOptions.SectionName).ValidateOnStart();
        services.AddSingleton<IValidateOptions<ForecastingOptions>, ForecastingOptionsValidator>();
        services.AddMetaLearners();
        services.AddLearnerSelection();
        services.AddSingleton(ModelRegistry.CandidatesMigration);
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton(ModelRegistry.Migration);
        services.AddSingleton<ModelRegistry>();
        services.AddSingleton<ForecastingService>();
        services.AddSingleton<IOneStepForecaster>(sp => sp.GetRequiredService<ForecastingService>());
        services.AddSingleton<IForecastingReadModel>(sp => sp.GetRequiredService<ForecastingService>());
        services.AddSingleton<IForecastingCommands>(sp => sp.GetRequiredService<ForecastingService>());
        services.AddSingleton<IForecastingRuns>(sp => sp.GetRequiredService<ForecastingService>());
        services.AddHostedService<ForecastingStartupService>();
        services.AddQuartz(q =>
        {
            q.AddJob<AdaptationJob>(job => job.WithIdentity(AdaptationJob.Key).StoreDurably());
            q.AddTrigger<IJob>((sp, trigger) => trigger
                .ForJob(AdaptationJob.Key)
                .WithIdentity("forecasting-adaptation-daily", "forecasting")
                .WithCronSchedule(sp.GetRequiredService<IOptions<ForecastingOptions>>().Value.AdaptationCron));
        });
        return builder;
    }
}
