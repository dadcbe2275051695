using System.Collections.Concurrent;
using MetaAnomaly.Detection.Events;
using MetaAnomaly.Detection.Notifications;
using MetaAnomaly.Detection.Scoring;
using MetaAnomaly.Detection.Sinks;
using MetaAnomaly.Detection.Storage;
using MetaAnomaly.Detection.Webhooks;
using MetaAnomaly.Shared.Forecasts;
using MetaAnomaly.Shared.Series;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace MetaAnomaly.Detection.Services;

/// <summary>
/// One scoring tick: finds every series with regular points after its last scored one, asks the forecaster for all
/// their one-step forecasts in ONE call (micro-batch), scores them in time order, and stores, publishes, masks,
/// alerts and writes back the resulting events.
/// </summary>
public sealed partial class ScoringCycle : IScoringCycle
{
    private readonly ISeriesBuffers _buffers;
    private readonly IOneStepForecaster _forecaster;
    private readonly AnomalyDetector _detector;
    private readonly IAnomalyStore _store;
    private readonly AnomalyAdaptationMask _mask;
    private readonly IAnomalyNotifications _notifications;
    private readonly WebhookOutbox _outbox;
    private readonly IEnumerable<IWriteBack> _writeBacks;
    private readonly IEnumerable<IDetectionSink> _sinks;
    private readonly IOptions<DetectionOptions> _options;
    private readonly ILogger<ScoringCycle> _logger;
    private readonly ConcurrentDictionary<SeriesKey, DateTimeOffset> _scoredThrough = new();
    private readonly ConcurrentDictionary<SeriesKey, DateTimeOffset> _liveFrom = new();
    private readonly ConcurrentDictionary<SeriesKey, SeriesDetectionStatus> _status = new();

    internal ScoringCycle(
        ISeriesBuffers buffers, IOneStepForecaster forecaster, AnomalyDetector detector, IAnomalyStore store,
        AnomalyAdaptationMask mask, IAnomalyNotifications notifications, WebhookOutbox outbox,
        IEnumerable<IWriteBack> writeBacks, IEnumerable<IDetectionSink> sinks, IOptions<DetectionOptions> options, ILogger<ScoringCycle> logger)
    {
        _sinks = sinks;
        _buffers = buffers;
        _forecaster = forecaster;
        _detector = detector;
        _store = store;
        _mask = mask;
        _notifications = notifications;
        _outbox = outbox;
        _writeBacks = writeBacks;
        _options = options;
        _logger = logger;
    }

    public const string WriteBackMeasurement = "metaanomaly_anomaly";

    /// <summary>Every known series' detection status, by series key.</summary>
    public IReadOnlyList<SeriesDetectionStatus> Statuses => _status.Values.OrderBy(s => s.SeriesKey, StringComparer.Ordinal).ToArray();

    /// <summary>Runs one tick; returns how many points were scored.</summary>
    public async Task<int> RunOnceAsync(CancellationToken cancellationToken)
    {
        var options = _options.Value;
        var requests = new List<OneStepRequest>();
        var targets = new List<(double Value, string? Cluster, bool Priming)>();
        foreach (var info in _buffers.ListSeries())
        {
            if (requests.Count >= options.MaxRequestsPerTick)
            {
                break;
            }
            CollectRequests(info, options, requests, targets);
        }
        if (requests.Count == 0)
        {
            return 0;
        }

        var forecasts = _forecaster.ForecastNext(requests);
        var scored = new List<(SeriesKey, ScoredPoint)>();
        var changes = new List<EventChange>();
        for (var i = 0; i < requests.Count; i++)
        {
            var request = requests[i];
            var forecast = forecasts[i];
            if (!forecast.Available)
            {
                SetStatus(request.Key, false, forecast.Reason ?? "The forecaster made no forecast.", targets[i].Cluster);
                continue;
            }
            if (targets[i].Priming)
            {
                _detector.Prime(request.Key, request.Target, targets[i].Value, forecast, targets[i].Cluster);
                SetStatus(request.Key, true, "Priming on stored history: scored, never anomalous.", targets[i].Cluster);
                continue;
            }
            if (_detector.Observe(request.Key, request.Target, targets[i].Value, forecast, targets[i].Cluster) is not { } result)
            {
                continue;
            }
            scored.Add((request.Key, result.Point));
            SetStatus(request.Key, true, result.Point.Scored ? null : "Calibrating: warm-up points are scored but never anomalous.", targets[i].Cluster);
            if (result.Change is { } change)
            {
                changes.Add(change);
            }
        }

        await _store.SaveScoresAsync(scored, cancellationToken);
        var applied = new List<EventChange>(changes.Count);
        foreach (var change in changes)
        {
            applied.Add(await ApplyAsync(change, cancellationToken));
        }
        var tick = new ScoringTick(scored, applied);
        foreach (var sink in _sinks)
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

    private void CollectRequests(SeriesInfo info, DetectionOptions options, List<OneStepRequest> requests, List<(double, string?, bool)> targets)
    {
        var key = info.Key;
        if (info.Step is null || info.LastTimestamp is null)
        {
            SetStatus(key, false, "No regular step detected yet.", null);
            return;
        }
        var state = _forecaster.StateOf(key);
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
        var historyPoints = Math.Max(options.HistoryPoints, state.HistoryNeeded);
        if (_buffers.Latest(key, historyPoints + Math.Max(options.MaxPointsPerTick, options.PrimingPoints + 1)) is not { Count: > 1 } window)
        {
            return;
        }
        // Met for the first time (at start, or with its first model): live from the latest point, primed on the
        // history before it, which is caught up like any backlog.
        var liveFrom = _liveFrom.GetOrAdd(key, _ => window.TimestampAt(window.Count - 1));
        var first = through is { } last
            ? Math.Max(1, (int)Math.Floor((last - window.Start) / window.Step) + 1)
            : Math.Max(1, window.Count - 1 - options.PrimingPoints);
        var budget = Math.Min(options.MaxPointsPerTick, options.MaxRequestsPerTick - requests.Count);
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
            targets.Add((window.Values[i], state.ClusterId, window.TimestampAt(i) < liveFrom));
        }
        if (end >= first)
        {
            _scoredThrough[key] = window.TimestampAt(end);
        }
    }

    private async Task<EventChange> ApplyAsync(EventChange change, CancellationToken cancellationToken)
    {
        var stored = await _store.UpsertAsync(change.Event, cancellationToken);
        var applied = change with { Event = stored };
        _mask.Track(stored);
        await _notifications.PublishAsync(applied);
        if (change.Kind == EventChangeKind.Opened)
        {
            LogOpened(stored.Id, stored.SeriesKey, stored.Severity, stored.Probability);
            await _outbox.EnqueueAsync(stored, cancellationToken);
        }
        if (change.Kind == EventChangeKind.Escalated)
        {
            LogEscalated(stored.Id, stored.SeriesKey, stored.Severity, stored.Probability);
            await _outbox.EnqueueEscalationAsync(stored, cancellationToken);
        }
        if (change.Kind is EventChangeKind.Opened or EventChangeKind.Closed)
        {
            await WriteBackAsync(stored, cancellationToken);
        }
        return applied;
    }

    private async Task WriteBackAsync(AnomalyEvent anomaly, CancellationToken cancellationToken)
    {
        var point = new WriteBackPoint(
            anomaly.Start,
            new Dictionary<string, string> { ["series_key"] = anomaly.SeriesKey, ["cluster"] = anomaly.ClusterId ?? "", ["severity"] = anomaly.Severity.ToString() },
            new Dictionary<string, double>
            {
                ["id"] = anomaly.Id,
                ["end_unix_ms"] = anomaly.End.ToUnixTimeMilliseconds(),
                ["value"] = anomaly.Value,
                ["forecast"] = anomaly.Forecast,
                ["band_lower"] = anomaly.BandLower,
                ["band_upper"] = anomaly.BandUpper,
                ["score"] = anomaly.Score,
                ["probability"] = anomaly.Probability,
                ["open"] = anomaly.Open ? 1 : 0,
            });
        foreach (var writeBack in _writeBacks)
        {
            try
            {
                await writeBack.WriteAsync(WriteBackMeasurement, [point], cancellationToken);
            }
            catch (Exception exception) when (exception is not OperationCanceledException)
            {
                LogWriteBackFailed(exception, anomaly.Id);
            }
        }
    }

    private void SetStatus(SeriesKey key, bool scoring, string? reason, string? cluster) =>
        _status[key] = new SeriesDetectionStatus(key.ToString(), scoring, reason, cluster, _detector.LastScored(key));

    [LoggerMessage(LogLevel.Information, "Anomaly {EventId} opened on {SeriesKey}: {Severity}, probability {Probability}")]
    private partial void LogOpened(long eventId, string seriesKey, AnomalySeverity severity, double probability);

    [LoggerMessage(LogLevel.Information, "Anomaly {EventId} on {SeriesKey} escalated to {Severity}, probability {Probability}")]
    private partial void LogEscalated(long eventId, string seriesKey, AnomalySeverity severity, double probability);

    [LoggerMessage(LogLevel.Warning, "Detection sink {Sink} failed on a tick; the other sinks ran")]
    private partial void LogSinkFailed(Exception exception, string sink);

    [LoggerMessage(LogLevel.Warning, "Writing anomaly {EventId} back failed; it stays in the state database")]
    private partial void LogWriteBackFailed(Exception exception, long eventId);
}
