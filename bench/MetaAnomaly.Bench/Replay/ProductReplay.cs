using MetaAnomaly.Detection;
using MetaAnomaly.Detection.Extensions;
using MetaAnomaly.Detection.Services;
using MetaAnomaly.Detection.Sinks;
using MetaAnomaly.Forecasting.Extensions;
using MetaAnomaly.Forecasting.ReadModel;
using MetaAnomaly.Ingest.Configuration;
using MetaAnomaly.Ingest.Extensions;
using MetaAnomaly.Shared.Series;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Quartz;

namespace MetaAnomaly.Bench.Replay;

/// <summary>
/// The product as the host composes it (<c>AddIngest</c>, <c>AddForecasting</c>, <c>AddDetection</c>, the same
/// defaults), on a <see cref="ReplayClock"/> and a temporary state directory. Points go in through the sources'
/// <see cref="IPointIngestor"/>; <see cref="AdvanceToAsync"/> runs, at each data time, what the host's timers would
/// have run by then: the daily adaptation at <c>Forecasting:AdaptationCron</c>, the catch-up every
/// <c>Forecasting:CatchUpInterval</c>, then one scoring tick. The bench reads what the detector scored from a
/// <see cref="ScoredPointRecorder"/>, one more sink. No rule of the product is written here.
/// </summary>
public sealed class ProductReplay : IDisposable
{
    private readonly IHost _host;
    private readonly ReplayClock _clock;
    private readonly DirectoryInfo _state;
    private readonly IPointIngestor _ingestor;
    private readonly IForecastingRuns _runs;
    private readonly IScoringCycle _scoring;
    private readonly CronExpression _adaptationSchedule;
    private readonly TimeSpan _catchUpInterval;
    private DateTimeOffset _nextAdaptation;
    private DateTimeOffset _lastCatchUp = DateTimeOffset.MinValue;

    private ProductReplay(IHost host, ReplayClock clock, DirectoryInfo state)
    {
        _host = host;
        _clock = clock;
        _state = state;
        var services = host.Services;
        _ingestor = services.GetRequiredService<IPointIngestor>();
        _runs = services.GetRequiredService<IForecastingRuns>();
        _scoring = services.GetRequiredService<IScoringCycle>();
        Recorder = services.GetRequiredService<ScoredPointRecorder>();
        var forecasting = services.GetRequiredService<IOptions<ForecastingOptions>>().Value;
        _adaptationSchedule = new CronExpression(forecasting.AdaptationCron);
        _catchUpInterval = forecasting.CatchUpInterval;
        _nextAdaptation = NextAdaptationAfter(clock.GetUtcNow());
    }

    public ScoredPointRecorder Recorder { get; }

    /// <summary>When the daily adaptation runs next in data time: a replay stops there before it pushes later points.</summary>
    public DateTimeOffset NextAdaptation => _nextAdaptation;

    public IServiceProvider Services => _host.Services;

    /// <summary>
    /// Composes the product from its defaults plus <paramref name="settings"/> (configuration keys such as
    /// <c>Forecasting:Learner</c>), with its clock at <paramref name="start"/>; <paramref name="configure"/> adds services
    /// after the product's (a bench's sink). Options are validated as at the host's start.
    /// </summary>
    public static ProductReplay Compose(DateTimeOffset start, IEnumerable<KeyValuePair<string, string?>> settings, Action<IServiceCollection>? configure = null)
    {
        var state = Directory.CreateTempSubdirectory("metaanomaly-replay-");
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true, ContentRootPath = state.FullName });
        builder.Configuration.AddInMemoryCollection([
            new("Ingest:StatePath", Path.Combine(state.FullName, "metaanomaly.db")),
            new("Ingest:Demo:Enabled", "false"),
            new("Forecasting:ModelDirectory", Path.Combine(state.FullName, "models")),
            .. settings,
        ]);
        builder.Logging.AddConsole().SetMinimumLevel(LogLevel.Warning);
        var clock = new ReplayClock(start);
        builder.Services.AddSingleton<TimeProvider>(clock);
        builder.Services.AddSingleton<ScoredPointRecorder>();
        builder.Services.AddSingleton<IDetectionSink>(sp => sp.GetRequiredService<ScoredPointRecorder>());
        builder.AddIngest();
        builder.AddForecasting();
        builder.AddDetection();
        configure?.Invoke(builder.Services);
        var host = builder.Build();
        _ = host.Services.GetRequiredService<IOptions<IngestOptions>>().Value;
        _ = host.Services.GetRequiredService<IOptions<ForecastingOptions>>().Value;
        _ = host.Services.GetRequiredService<IOptions<DetectionOptions>>().Value;
        return new ProductReplay(host, clock, state);
    }

    public IngestOutcome Push(ReadOnlySpan<DataPoint> points) => _ingestor.Ingest(points);

    /// <summary>
    /// Moves data time to <paramref name="now"/> and runs what the host would have run by then: the daily adaptation
    /// when its cron time has passed, the catch-up when its interval has, then one scoring tick (which scores every
    /// series' backlog up to <c>Detection:MaxPointsPerTick</c>).
    /// </summary>
    public async Task<int> AdvanceToAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        _clock.AdvanceTo(now);
        if (now >= _nextAdaptation)
        {
            await _runs.RunScheduledAsync(cancellationToken);
            _nextAdaptation = NextAdaptationAfter(now);
        }
        if (now - _lastCatchUp >= _catchUpInterval)
        {
            await _runs.CatchUpAsync(cancellationToken);
            _lastCatchUp = now;
        }
        return await _scoring.RunOnceAsync(cancellationToken);
    }

    /// <summary>Runs the daily adaptation now, as the job does at its cron time.</summary>
    public Task<AdaptationRunSummary> RunDailyAdaptationAsync(CancellationToken cancellationToken) => _runs.RunScheduledAsync(cancellationToken);

    private DateTimeOffset NextAdaptationAfter(DateTimeOffset time) =>
        _adaptationSchedule.GetNextValidTimeAfter(time) ?? DateTimeOffset.MaxValue;

    public void Dispose()
    {
        _host.Dispose();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try
        {
            _state.Delete(recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
