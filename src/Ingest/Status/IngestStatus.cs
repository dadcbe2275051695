using System.Collections.Concurrent;
using MetaAnomaly.Ingest.Buffers;
using MetaAnomaly.Ingest.Configuration;
using Microsoft.Extensions.Options;

namespace MetaAnomaly.Ingest.Status;

/// <summary>
/// Collects what the sources report (started, connection state, last error) and derives the rate from the buffers'
/// counters: points/s is measured between two readings at least a second apart.
/// </summary>
public sealed class IngestStatus(SeriesBuffers buffers, IngestCounters counters, IOptions<IngestOptions> options, TimeProvider clock)
    : IIngestStatus
{
    private readonly ConcurrentDictionary<string, byte> _sources = new();
    private readonly Lock _gate = new();
    private InfluxConnectionState _influx = options.Value.HasInflux ? InfluxConnectionState.Unknown : InfluxConnectionState.NotConfigured;
    private (string Message, DateTimeOffset At)? _lastError;
    private (DateTimeOffset At, long Accepted) _sample = (clock.GetUtcNow(), 0);
    private double _rate;

    public IngestHealth Current()
    {
        var now = clock.GetUtcNow();
        var accepted = counters.Accepted;
        double rate;
        (string Message, DateTimeOffset At)? error;
        InfluxConnectionState influx;
        lock (_gate)
        {
            var elapsed = (now - _sample.At).TotalSeconds;
            if (elapsed >= 1)
            {
                _rate = (accepted - _sample.Accepted) / elapsed;
                _sample = (now, accepted);
            }
            rate = _rate;
            error = _lastError;
            influx = _influx;
        }
        var series = buffers.ListSeries();
        var newest = series.Max(s => s.LastTimestamp);
        return new IngestHealth(
            _sources.Keys.Order(StringComparer.Ordinal).ToArray(),
            rate,
            accepted,
            counters.SkippedNotFinite,
            counters.SkippedOutOfRange,
            counters.SkippedOverCapacity,
            counters.RejectedLines,
            counters.NonNumericFields,
            series.Count,
            newest is { } last ? now - last : null,
            influx,
            error?.Message,
            error?.At,
            counters.SkippedTooOld);
    }

    internal void SourceStarted(string name) => _sources.TryAdd(name, 0);

    internal void InfluxState(InfluxConnectionState state)
    {
        lock (_gate)
        {
            _influx = state;
        }
    }

    internal void Error(string message)
    {
        lock (_gate)
        {
            _lastError = (message, clock.GetUtcNow());
        }
    }
}
