using System.Collections.Concurrent;
using MetaAnomaly.Detection.Events;
using MetaAnomaly.Detection.Scoring;
using MetaAnomaly.Detection.Sinks;
using MetaAnomaly.Shared.Series;

namespace MetaAnomaly.Bench.Replay;

/// <summary>A detection sink that keeps every point the product scored and every event change, for the bench to read.</summary>
public sealed class ScoredPointRecorder : IDetectionSink
{
    private readonly ConcurrentDictionary<SeriesKey, List<ScoredPoint>> _points = new();
    private readonly ConcurrentQueue<EventChange> _changes = new();

    public IReadOnlyList<ScoredPoint> PointsOf(SeriesKey key) => _points.TryGetValue(key, out var points) ? points : [];

    public IReadOnlyCollection<EventChange> Changes => _changes;

    public Task HandleAsync(ScoringTick tick, CancellationToken cancellationToken)
    {
        foreach (var (key, point) in tick.Scored)
        {
            _points.GetOrAdd(key, _ => []).Add(point);
        }
        foreach (var change in tick.Changes)
        {
            _changes.Enqueue(change);
        }
        return Task.CompletedTask;
    }
}
