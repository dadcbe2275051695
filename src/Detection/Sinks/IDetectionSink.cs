namespace MetaAnomaly.Detection.Sinks;

/// <summary>
/// Where one scoring tick's results go (store, live UI, webhook outbox, write-back, adaptation mask, ...). Sinks run in
/// registration order, after the tick's events are stored with their ids; a sink that throws is logged and the others
/// still run. Adding a sink is one class and one registration line.
/// </summary>
public interface IDetectionSink
{
    Task HandleAsync(ScoringTick tick, CancellationToken cancellationToken);
}
