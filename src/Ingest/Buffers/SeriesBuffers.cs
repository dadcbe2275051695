using System.Collections.Concurrent;
using MetaAnomaly.Ingest.Configuration;
using MetaAnomaly.Shared.Series;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace MetaAnomaly.Ingest.Buffers;

/// <summary>
/// The per-series rings behind <see cref="ISeriesBuffers"/> and <see cref="IPointIngestor"/>. Lookups are lock-free
/// (<see cref="ConcurrentDictionary{TKey,TValue}"/>); each write locks its own series only. All rings together stay
/// under <c>Ingest:Buffers:MaxMemoryMegabytes</c>: a new series beyond it is refused and counted, with one warning.
/// </summary>
/// <remarks>
/// <see cref="Ingest"/> applies the timestamp plausibility range (<c>Ingest:Timestamps</c>) against the wall clock:
/// it is the entry of external sources. The demo replays on its own accelerated data clock and enters through
/// <see cref="IngestReplay"/>, which skips that check only.
/// </remarks>
public sealed partial class SeriesBuffers : ISeriesBuffers, IPointIngestor
{
    private readonly ConcurrentDictionary<SeriesKey, SeriesRing> _rings = new();
    private readonly BufferOptions _options;
    private readonly TimestampOptions _timestamps;
    private readonly TimeProvider _clock;
    private readonly ILogger<SeriesBuffers> _logger;
    private readonly long _maxSeries;
    private readonly IngestCounters _counters;
    private int _capacityWarned;

    public SeriesBuffers(IOptions<IngestOptions> options, TimeProvider clock, IngestCounters counters, ILogger<SeriesBuffers> logger)
    {
        _options = options.Value.Buffers;
        _timestamps = options.Value.Timestamps;
        _clock = clock;
        _counters = counters;
        _logger = logger;
        _maxSeries = Math.Max(1, (long)_options.MaxMemoryMegabytes * 1024 * 1024 / ((long)_options.Capacity * sizeof(double)));
    }

    /// <summary>How many series fit under the memory bound.</summary>
    public long MaxSeries => _maxSeries;

    public int SeriesCount => _rings.Count;

    /// <summary>Whether <paramref name="key"/> has its ring (the series was admitted).</summary>
    public bool Holds(SeriesKey key) => _rings.ContainsKey(key);

    /// <summary>Points from external sources: non-finite values and implausible timestamps are skipped and counted.</summary>
    public IngestOutcome Ingest(ReadOnlySpan<DataPoint> points) => Ingest(points, []);

    /// <summary>As <see cref="Ingest(ReadOnlySpan{DataPoint})"/>, copying the accepted points to the front of <paramref name="accepted"/> (as long as <paramref name="points"/>).</summary>
    internal IngestOutcome Ingest(ReadOnlySpan<DataPoint> points, Span<DataPoint> accepted)
    {
        var now = _clock.GetUtcNow();
        return Counted(Write(points, now - _timestamps.MaxAge, now + _timestamps.MaxAhead, accepted, recovered: false));
    }

    /// <summary>Points replayed on a synthetic data clock (the demo): everything but the timestamp range is checked.</summary>
    public IngestOutcome IngestReplay(ReadOnlySpan<DataPoint> points) =>
        Counted(Write(points, DateTimeOffset.MinValue, DateTimeOffset.MaxValue, [], recovered: false));

    /// <summary>
    /// Points read back from storage (the write-ahead log, the cluster's store): accepted once already, so neither
    /// checked by time nor counted again; their series are recovered through them (<see cref="SeriesInfo.RecoveredThrough"/>).
    /// <paramref name="recovered"/> false for points no detector has seen yet (those a cluster node received after the
    /// last it scored before handing the shard over): their series are recovered through the points before them only,
    /// so they are scored.
    /// </summary>
    internal void Replay(ReadOnlySpan<DataPoint> points, bool recovered = true) =>
        Write(points, DateTimeOffset.MinValue, DateTimeOffset.MaxValue, [], recovered);

    /// <summary>
    /// Drops the series' rings (a cluster node handed their shard to another node); returns how many it held. The
    /// scoring cycle forgets them at its next tick; points that arrive for them later start new rings.
    /// </summary>
    internal int Release(IEnumerable<SeriesKey> keys) => keys.Count(key => _rings.TryRemove(key, out _));

    public IReadOnlyList<SeriesInfo> ListSeries() =>
        _rings.Values.Select(r => r.Describe()).OrderBy(i => i.Key).ToArray();

    public SeriesInfo? Describe(SeriesKey key) => _rings.TryGetValue(key, out var ring) ? ring.Describe() : null;

    public SeriesWindow? Latest(SeriesKey key, int maxPoints)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(maxPoints);
        return _rings.TryGetValue(key, out var ring) ? ring.Latest(maxPoints) : null;
    }

    public SeriesWindow? Range(SeriesKey key, DateTimeOffset from, DateTimeOffset to) =>
        _rings.TryGetValue(key, out var ring) ? ring.Range(from, to) : null;

    /// <summary>The rings whose step is known, and the points of the others (still waiting for their step).</summary>
    internal BufferSnapshot Snapshot()
    {
        var rings = new List<RingSnapshot>();
        var pending = new List<DataPoint>();
        foreach (var ring in _rings.Values)
        {
            if (ring.Snapshot() is { } snapshot)
            {
                rings.Add(snapshot);
            }
            else
            {
                pending.AddRange(ring.Pending());
            }
        }
        return new BufferSnapshot(rings, pending);
    }

    internal int Restore(IEnumerable<RingSnapshot> snapshots)
    {
        var restored = 0;
        foreach (var snapshot in snapshots)
        {
            if (RingFor(snapshot.Key) is { } ring)
            {
                ring.Restore(snapshot);
                restored++;
            }
        }
        return restored;
    }

    private IngestOutcome Counted(IngestOutcome outcome)
    {
        _counters.Add(outcome);
        return outcome;
    }

    private IngestOutcome Write(ReadOnlySpan<DataPoint> points, DateTimeOffset earliest, DateTimeOffset latest, Span<DataPoint> accepted, bool recovered)
    {
        int taken = 0, notFinite = 0, outOfRange = 0, overCapacity = 0, tooOld = 0;
        SeriesRing? ring = null;
        foreach (ref readonly var point in points)
        {
            if (!double.IsFinite(point.Value))
            {
                notFinite++;
                continue;
            }
            if (point.Timestamp < earliest || point.Timestamp > latest)
            {
                outOfRange++;
                continue;
            }
            if (ring is null || !ReferenceEquals(ring.Key, point.Key) && ring.Key != point.Key)
            {
                ring = RingFor(point.Key);
            }
            if (ring is null)
            {
                overCapacity++;
            }
            else if (ring.Write(point.Timestamp.UtcTicks, point.Value, recovered))
            {
                if (!accepted.IsEmpty)
                {
                    accepted[taken] = point;
                }
                taken++;
            }
            else
            {
                tooOld++;
            }
        }
        return new IngestOutcome(taken, notFinite, outOfRange, overCapacity, tooOld);
    }

    private SeriesRing? RingFor(SeriesKey key)
    {
        if (_rings.TryGetValue(key, out var ring))
        {
            return ring;
        }
        if (_rings.Count >= _maxSeries)
        {
            if (Interlocked.Exchange(ref _capacityWarned, 1) == 0)
            {
                LogMemoryBound(_maxSeries, _options.MaxMemoryMegabytes, _options.Capacity, key.ToString());
            }
            return null;
        }
        return _rings.GetOrAdd(key, k => new SeriesRing(k, _options.Capacity, _options.PointsForStep));
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Series buffers are full: {MaxSeries} series x {Capacity} slots fill Ingest:Buffers:MaxMemoryMegabytes={Megabytes}. New series (first: {Key}) are refused until it is raised or Ingest:Buffers:Capacity lowered.")]
    private partial void LogMemoryBound(long maxSeries, int megabytes, int capacity, string key);
}
