using MetaAnomaly.Detection.Scoring;

namespace MetaAnomaly.Detection.Sinks;

/// <summary>Keeps the adaptation mask up to date with every stored event change.</summary>
internal sealed class AdaptationMaskSink(AnomalyAdaptationMask mask) : IDetectionSink
{
    public Task HandleAsync(ScoringTick tick, CancellationToken cancellationToken)
    {
        foreach (var change in tick.Changes)
        {
            mask.Track(change.Event);
        }
        return Task.CompletedTask;
    }
}
