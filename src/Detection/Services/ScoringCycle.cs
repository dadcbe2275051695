using System.Collections.Concurrent;
using MetaAnomaly.Detection.Events;
using MetaAnomaly.Detection.Scoring;
using MetaAnomaly.Detection.Sinks;
using MetaAnomaly.Detection.Storage;
using MetaAnomaly.Shared.Forecasts;
using MetaAnomaly.Shared.Series;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace MetaAnomaly.Detection.Services;

/// <summary>
/// One scoring tick: finds every series with regular points after its last scored one, asks the forecaster for all
/// their one-step forecasts in ONE call (micro-batch), scores them in time order, stores the scores and the event
/// changes (which gives the events their ids), and hands the tick to the sinks (<see cref="IDetectionSink"/>: live UI,
/// webhook outbox, write-back, adaptation mask, ...). The events of a series in cold start say so first in their reason.
/// </summary>
internal sealed partial class ScoringCycle(
    ISeriesBuffers buffers,
    IOneStepForecaster forecaster,
    AnomalyDetector detector,
    IAnomalyStore store,
    IEnumerable<IDetectionSink> sinks,
    IOptions<DetectionOptions> options,
    ILogger<ScoringCycle> logger) : IScoringCycle
{
    private readonly ConcurrentDictionary<SeriesKey, DateTimeOffset> _scoredThrough = new();
    private readonly ConcurrentDictionary<SeriesKey, DateTimeOffset> _liveFrom = new();
    private readonly ConcurrentDictionary<SeriesKey, SeriesDetectionStatus> _status = new();

    /// <summary>Every known series' detection status, by series key.</summary>
    public IReadOnlyList<SeriesDetectionStatus> Statuses => _status.Values.OrderBy(s => s.SeriesKey, StringComparer.Ordinal).ToArray();

    /// <summary>Runs one tick; returns how many points were scored.</summary>
    public async Task<int> RunOnceAsync(CancellationToken cancellationToken)
    {
        var current = options.Value;
        var requests = new List<OneStepRequest>();
        var targets = new List<ScoringTarget>();
        var listed = buffers.ListSeries();
        ForgetLeft(listed);
        foreach (var info in listed)
        {
            if (requests.Count >= current.MaxRequestsPerTick)
            {
                break;
            }
            CollectRequests(info, current, requests, targets);
        }
        if (requests.Count == 0)
        {
            return 0;
        }

        var forecasts = Forecast(requests, targets);
        var inputs = new List<DetectorInput>(requests.Count);
        var scored = new List<(SeriesKey, ScoredPoint)>();
        var changes = new List<EventChange>();
        var failed = new HashSet<SeriesKey>();
        for (var i = 0; i < requests.Count; i++)
        {
            var request = requests[i];
            var forecast = forecasts[i];
            if (failed.Contains(request.Key))
            {
                continue;
            }
            if (!forecast.Available)
            {
                SetStatus(request.Key, false, forecast.Reason ?? "The forecaster made no forecast.", targets[i].Cluster);
                continue;
            }
            var input = new DetectorInput(request.Key, request.Target, targets[i].Value, forecast, targets[i].Cluster, targets[i].Priming);
            try
            {
                var result = detector.Feed(input);
                inputs.Add(input);
                if (input.Priming)
                {
                    SetStatus(request.Key, true, "Priming on stored history: scored, never anomalous.", input.ClusterId);
                    continue;
                }
                if (result is not { } observed)
                {
                    continue;
                }
                scored.Add((request.Key, observed.Point));
                SetStatus(request.Key, true, observed.Point.Scored ? null : "Calibrating: warm-up points are scored but never anomalous.", input.ClusterId);
                if (observed.Change is { } change)
                {
                    changes.Add(targets[i].ColdStart is { } stage ? InColdStart(change, stage) : change);
                }
            }
            catch (Exception exception) when (exception is not OperationCanceledException)
            {
                // One series whose scoring throws loses this tick's points, never the other series' (nor the next tick).
                failed.Add(request.Key);
                var reason = $"Scoring failed: {exception.Message}";
                if (!_status.TryGetValue(request.Key, out var before) || before.Reason != reason)
                {
                    LogSeriesFailed(exception, request.Key.ToString());
                }
                SetStatus(request.Key, false, reason, targets[i].Cluster);
            }
        }

        await store.SaveScoresAsync(scored, cancellationToken);
        var stored = new List<EventChange>(changes.Count);
        foreach (var change in changes)
        {
            stored.Add(await StoreAsync(change, cancellationToken));
        }
        var tick = new ScoringTick(scored, stored) { Inputs = inputs };
        foreach (var sink in sinks)
        {
            try
            {
                await sink.HandleAsync(tick, cancellationToken);
            }
            catch (Exception exception) when (exception is not OperationCanceledException)
            {
                LogSinkFailed(exception, sink.GetType().Name);
            }
        }
        return scored.Count;
    }

    /// <summary>
    /// All forecasts in one call; when that call throws, one call per cluster, so that a cluster whose forecast fails
    /// leaves its series unforecast for this tick and the other clusters are still scored.
    /// </summary>
    private IReadOnlyList<OneStepForecast> Forecast(List<OneStepRequest> requests, List<ScoringTarget> targets)
    {
        try
        {
            return forecaster.ForecastNext(requests);
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            LogForecastFailed(exception, requests.Count);
        }
        var forecasts = new OneStepForecast[requests.Count];
        foreach (var cluster in Enumerable.Range(0, requests.Count).GroupBy(i => targets[i].Cluster))
        {
            var indices = cluster.ToArray();
            try
            {
                var batch = forecaster.ForecastNext(indices.Select(i => requests[i]).ToArray());
                for (var j = 0; j < indices.Length; j++)
                {
                    forecasts[indices[j]] = batch[j];
                }
            }
            catch (Exception exception) when (exception is not OperationCanceledException)
            {
                LogClusterForecastFailed(exception, cluster.Key);
                foreach (var i in indices)
                {
                    forecasts[i] = OneStepForecast.Unavailable(requests[i].Key, $"The forecaster failed: {exception.Message}");
                }
            }
        }
        return forecasts;
    }

    private void CollectRequests(SeriesInfo info, DetectionOptions current, List<OneStepRequest> requests, List<ScoringTarget> targets)
    {
        var key = info.Key;
        if (info.Step is null || info.LastTimestamp is null)
        {
            SetStatus(key, false, "No regular step detected yet.", null);
            return;
        }
        var state = forecaster.StateOf(key);
        if (state.Status != SeriesModelStatus.Adapted)
        {
            SetStatus(key, false, state.Reason ?? $"Model {state.Status}: no adapted model to forecast with.", state.ClusterId);
            return;
        }
        var through = _scoredThrough.TryGetValue(key, out var t) ? t : (DateTimeOffset?)null;
        if (through >= info.LastTimestamp)
        {
            return;
        }
        var historyPoints = Math.Max(current.HistoryPoints, state.HistoryNeeded);
        if (buffers.Latest(key, historyPoints + Math.Max(current.MaxPointsPerTick, current.PrimingPoints + 1)) is not { Count: > 1 } window)
        {
            return;
        }
        var liveFrom = _liveFrom.GetOrAdd(key, _ => LiveFrom(info, window));
        var first = through is { } last
            ? Math.Max(1, (int)Math.Floor((last - window.Start) / window.Step) + 1)
            : Math.Max(1, Math.Min(window.Count - 1, (int)Math.Ceiling((liveFrom - window.Start) / window.Step)) - current.PrimingPoints);
        var budget = Math.Min(current.MaxPointsPerTick, current.MaxRequestsPerTick - requests.Count);
        var end = Math.Min(window.Count - 1, first + budget - 1);
        for (var i = first; i <= end; i++)
        {
            if (!double.IsFinite(window.Values[i]))
            {
                continue;
            }
            var start = Math.Max(0, i - historyPoints);
            var history = new SeriesWindow(key, window.TimestampAt(start), window.Step, window.Values[start..i]);
            requests.Add(new OneStepRequest(key, history, window.TimestampAt(i)));
            targets.Add(new ScoringTarget(window.Values[i], state.ClusterId, window.TimestampAt(i) < liveFrom, state.Stage == ServingStage.ColdStart ? state.StageDescription : null));
        }
        if (end >= first)
        {
            _scoredThrough[key] = window.TimestampAt(end);
        }
    }

    /// <summary>
    /// Forgets every series that left the buffers (a cluster node handed its shard to another): its detector state,
    /// how far it was scored and its status, so that if it comes back it is met for the first time again.
    /// </summary>
    private void ForgetLeft(IReadOnlyList<SeriesInfo> listed)
    {
        var held = listed.Select(i => i.Key).ToHashSet();
        foreach (var (key, _) in _status)
        {
            if (!held.Contains(key))
            {
                Forget(key);
            }
        }
        foreach (var (key, _) in _liveFrom)
        {
            if (!held.Contains(key))
            {
                Forget(key);
            }
        }
    }

    private void Forget(SeriesKey key)
    {
        _liveFrom.TryRemove(key, out _);
        _scoredThrough.TryRemove(key, out _);
        _status.TryRemove(key, out _);
        detector.Forget(key);
    }

    /// <summary>
    /// Where scoring of a series met for the first time (at start, with its first model, or when this node took its
    /// shard over) goes live; the history before is primed, then caught up like any backlog. The points this process
    /// received itself after those it recovered from storage were seen by no detector (they arrived while the process
    /// was down, or while the shard's new owner adapted the series), so they are scored; a series recovered through its
    /// latest point, or never recovered, goes live at its latest point.
    /// </summary>
    private static DateTimeOffset LiveFrom(SeriesInfo info, SeriesWindow window)
    {
        var latest = window.TimestampAt(window.Count - 1);
        return info.RecoveredThrough is { } recovered && recovered + window.Step < latest ? recovered + window.Step : latest;
    }

    /// <summary>The change with its event's reason saying first that the series is in cold start (<paramref name="stage"/>).</summary>
    private static EventChange InColdStart(EventChange change, string stage) =>
        change with { Event = change.Event with { Reason = change.Event.Reason is { } reason ? $"{stage}; {reason}" : stage } };

    /// <summary>Stores the event (inserted or updated; the store gives it its id) and returns the change with the stored event.</summary>
    private async Task<EventChange> StoreAsync(EventChange change, CancellationToken cancellationToken)
    {
        var stored = await store.UpsertAsync(change.Event, cancellationToken);
        if (change.Kind == EventChangeKind.Opened)
        {
            LogOpened(stored.Id, stored.SeriesKey, stored.Severity, stored.Probability);
        }
        if (change.Kind == EventChangeKind.Escalated)
        {
            LogEscalated(stored.Id, stored.SeriesKey, stored.Severity, stored.Probability);
        }
        return change with { Event = stored };
    }

    private void SetStatus(SeriesKey key, bool scoring, string? reason, string? cluster) =>
        _status[key] = new SeriesDetectionStatus(key.ToString(), scoring, reason, cluster, detector.LastScored(key));

    [LoggerMessage(LogLevel.Information, "Anomaly {EventId} opened on {SeriesKey}: {Severity}, probability {Probability}")]
    private partial void LogOpened(long eventId, string seriesKey, AnomalySeverity severity, double probability);

    [LoggerMessage(LogLevel.Information, "Anomaly {EventId} on {SeriesKey} escalated to {Severity}, probability {Probability}")]
    private partial void LogEscalated(long eventId, string seriesKey, AnomalySeverity severity, double probability);

    [LoggerMessage(LogLevel.Warning, "Detection sink {Sink} failed on a tick; the other sinks ran")]
    private partial void LogSinkFailed(Exception exception, string sink);

    [LoggerMessage(LogLevel.Warning, "Scoring series {SeriesKey} failed; its points of this tick are skipped, the other series are scored (logged again only if the reason changes)")]
    private partial void LogSeriesFailed(Exception exception, string seriesKey);

    [LoggerMessage(LogLevel.Warning, "The forecaster failed on a batch of {Requests} requests; forecasting cluster by cluster")]
    private partial void LogForecastFailed(Exception exception, int requests);

    [LoggerMessage(LogLevel.Warning, "The forecaster failed on cluster {Cluster}; its series are not scored this tick")]
    private partial void LogClusterForecastFailed(Exception exception, string? cluster);

    /// <summary>The observed value a request is scored against, its cluster, whether it primes the detector, and its cold-start stage if in one.</summary>
    private readonly record struct ScoringTarget(double Value, string? Cluster, bool Priming, string? ColdStart);
}
