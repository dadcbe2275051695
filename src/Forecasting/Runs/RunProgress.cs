using MetaAnomaly.Forecasting.Extensions;
using MetaAnomaly.Forecasting.ReadModel;
using Microsoft.Extensions.Options;
using Quartz;

namespace MetaAnomaly.Forecasting.Runs;

/// <summary>What the runs are doing now, what the last one did, and when the next scheduled one starts.</summary>
internal sealed class RunProgress(IOptions<ForecastingOptions> options, TimeProvider clock)
{
    private readonly string _adaptationCron = options.Value.AdaptationCron;
    private volatile ForecastingActivity? _current;
    private volatile AdaptationRunSummary? _lastRun;

    /// <summary>Null when idle.</summary>
    public ForecastingActivity? Current => _current;

    public AdaptationRunSummary? LastRun => _lastRun;

    /// <summary>The time runs and their stages are stamped with.</summary>
    public DateTimeOffset Now => clock.GetUtcNow();

    public DateTimeOffset? NextScheduled => new CronExpression(_adaptationCron).GetNextValidTimeAfter(clock.GetUtcNow());

    /// <summary>The stage a run is in; <see cref="ForecastingActivity.Since"/> is kept while the stage stays the same.</summary>
    public void Report(string stage, double fraction)
    {
        var since = _current is { } current && current.Stage == stage ? current.Since : clock.GetUtcNow();
        _current = new ForecastingActivity(stage, Math.Clamp(fraction, 0, 1), since);
    }

    public void Idle() => _current = null;

    public void Record(AdaptationRunSummary run) => _lastRun = run;
}
