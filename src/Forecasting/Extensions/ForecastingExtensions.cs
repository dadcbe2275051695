using MetaAnomaly.Forecasting.Engine;
using MetaAnomaly.Forecasting.Learners;
using MetaAnomaly.Forecasting.Learners.Selection;
using MetaAnomaly.Forecasting.Planning;
using MetaAnomaly.Forecasting.ReadModel;
using MetaAnomaly.Forecasting.Registry;
using MetaAnomaly.Forecasting.Runs;
using MetaAnomaly.Forecasting.Serving;
using MetaAnomaly.Forecasting.Training;
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
    /// migration, the stages (planner, trainer, batched adapter, one-step forecaster as <see cref="IOneStepForecaster"/>,
    /// read model as <see cref="IForecastingReadModel"/>) and the coordinator that runs them one run at a time as
    /// <see cref="IForecastingRuns"/> and <see cref="IForecastingCommands"/>, the start-up/catch-up service and the daily
    /// Quartz job. Needs <see cref="IStateDatabase"/> and <c>ISeriesBuffers</c> (Ingest) and the host's
    /// <c>AddQuartzHostedService</c>.
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
        services.AddSingleton<IModelRegistry>(sp => sp.GetRequiredService<ModelRegistry>());
        services.AddSingleton<ForecastingSetup>();
        services.AddSingleton<SeriesStates>();
        services.AddSingleton<RunProgress>();
        services.AddSingleton<ServingSnapshots>();
        services.AddSingleton<IClusterPlanner, ClusterPlanner>();
        services.AddSingleton<StoredInitialisations>();
        services.AddSingleton<InitialisationTraining>();
        services.AddSingleton<IClusterTrainer, ClusterTrainer>();
        services.AddSingleton<IBatchedAdapter, BatchedAdapter>();
        services.AddSingleton<IOneStepForecaster, OneStepForecaster>();
        services.AddSingleton<IForecastingReadModel, ForecastingReadModel>();
        services.AddSingleton<ForecastingCoordinator>();
        services.AddSingleton<IForecastingRuns>(sp => sp.GetRequiredService<ForecastingCoordinator>());
        services.AddSingleton<IForecastingCommands>(sp => sp.GetRequiredService<ForecastingCoordinator>());
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
