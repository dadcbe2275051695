using MetaAnomaly.Forecasting.Extensions;
using MetaAnomaly.Forecasting.ReadModel;
using MetaAnomaly.Shared.Forecasts;
using MetaAnomaly.Shared.Series;
using MetaAnomaly.Shared.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace MetaAnomaly.Forecasting.Tests.Serving;

/// <summary>
/// The forecasting core as the host composes it (<see cref="ForecastingExtensions.AddForecasting"/>), on fixed series
/// windows, a test database and the test's options object (changes to it before composing take effect).
/// </summary>
internal sealed class ForecastingCore : IDisposable
{
    private readonly ServiceProvider _provider;

    public ForecastingCore(IReadOnlyList<SeriesWindow> windows, IStateDatabase database, IOptions<ForecastingOptions> options,
        TimeProvider? clock = null, IAdaptationMask? mask = null)
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Services.AddLogging();
        builder.Services.AddSingleton<ISeriesBuffers>(new FixedSeriesBuffers(windows));
        builder.Services.AddSingleton(database);
        builder.Services.AddSingleton(clock ?? TimeProvider.System);
        if (mask is not null)
        {
            builder.Services.AddSingleton(mask);
        }
        builder.AddForecasting();
        builder.Services.AddSingleton(options);
        _provider = builder.Services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
    }

    public IForecastingRuns Runs => Get<IForecastingRuns>();

    public IForecastingCommands Commands => Get<IForecastingCommands>();

    public IForecastingReadModel ReadModel => Get<IForecastingReadModel>();

    public IOneStepForecaster Forecaster => Get<IOneStepForecaster>();

    public T Get<T>() where T : notnull => _provider.GetRequiredService<T>();

    public void Dispose() => _provider.Dispose();
}
