using MetaAnomaly.Detection.Events;
using MetaAnomaly.Detection.Scoring;
using MetaAnomaly.Shared.Series;

namespace MetaAnomaly.Detection.Sinks;

/// <summary>What one scoring tick produced: every point scored (priming excluded) and the event changes, with stored ids.</summary>
public sealed record ScoringTick(IReadOnlyList<(SeriesKey Key, ScoredPoint Point)> Scored, IReadOnlyList<EventChange> Changes)
{
    /// <summary>Everything the tick handed to the detector, priming included, in the order it did.</summary>
    public IReadOnlyList<DetectorInput> Inputs { get; init; } = [];
}
