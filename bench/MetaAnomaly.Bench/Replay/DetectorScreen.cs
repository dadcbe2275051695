using MetaAnomaly.Detection;
using MetaAnomaly.Detection.Extensions;
using MetaAnomaly.Detection.Rules;
using MetaAnomaly.Detection.Sinks;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace MetaAnomaly.Bench.Replay;

/// <summary>
/// <c>bench nab --from DIR</c>: the product's detector, composed by <c>AddDetection</c>'s options binding and validator
/// and <see cref="DetectionExtensions.CreateDetector"/>, fed a <see cref="DetectorRecording"/> tick by tick on a clock at
/// each tick's data time, instead of a full replay. Forecasting is not redone: a detector that differs from the
/// recorded one would, in a full replay, change what the adaptation mask keeps out of adaptation and so see slightly
/// different forecasts; finalists are confirmed with full replays.
/// </summary>
public static class DetectorScreen
{
    /// <summary>
    /// Runs the recording through a detector configured by <paramref name="settings"/> (the recording's, then any
    /// override) and returns what the replay's <see cref="ScoredPointRecorder"/> would have received, and the options;
    /// <paramref name="trace"/>, when given, sees every input and the detector's result.
    /// </summary>
    internal static async Task<(ScoredPointRecorder Recorder, DetectionOptions Options)> RunAsync(
        DetectorRecording recording, IEnumerable<KeyValuePair<string, string?>> settings, DetectorTrace? trace, CancellationToken cancellationToken)
    {
        var options = BindOptions(settings);
        var inputs = recording.Inputs().GetEnumerator();
        if (!inputs.MoveNext())
        {
            throw new InvalidDataException($"{recording.Folder} holds no detector inputs.");
        }
        var clock = new ReplayClock(inputs.Current.Now);
        var detector = DetectionExtensions.CreateDetector(options, ConfiguredThresholds.Instance, clock);
        var recorder = new ScoredPointRecorder();
        var more = true;
        while (more)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var now = inputs.Current.Now;
            clock.AdvanceTo(now);
            var scored = new List<(Shared.Series.SeriesKey, Detection.Scoring.ScoredPoint)>();
            var changes = new List<Detection.Events.EventChange>();
            do
            {
                var input = inputs.Current.Input;
                var fed = detector.Feed(input);
                trace?.Add(input, fed?.Point);
                if (fed is { } result && !input.Priming)
                {
                    scored.Add((input.Key, result.Point));
                    if (result.Change is { } change)
                    {
                        changes.Add(change);
                    }
                }
                more = inputs.MoveNext();
            }
            while (more && inputs.Current.Now == now);
            await recorder.HandleAsync(new ScoringTick(scored, changes), cancellationToken);
        }
        return (recorder, options);
    }

    /// <summary>The <c>Detection</c> options as the host binds and validates them at start (a bad value throws, naming it).</summary>
    private static DetectionOptions BindOptions(IEnumerable<KeyValuePair<string, string?>> settings)
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Configuration.AddInMemoryCollection(settings);
        builder.AddDetection();
        using var services = builder.Services.BuildServiceProvider();
        return services.GetRequiredService<IOptions<DetectionOptions>>().Value;
    }
}
