using MetaAnomaly.Cluster.Configuration;
using MetaAnomaly.Detection.Sinks;
using Microsoft.Extensions.Options;

namespace MetaAnomaly.Cluster.Events;

/// <summary>Records every event change of a tick in the cluster's ledger (<see cref="ClusterEventLedger"/>).</summary>
internal sealed class ClusterEventSink(ClusterEventLedger ledger, IOptions<ClusterOptions> options) : IDetectionSink
{
    public Task HandleAsync(ScoringTick tick, CancellationToken cancellationToken) =>
        ledger.RecordAsync(tick.Changes.Select(c => c.Event).ToArray(), options.Value.ResolvedNodeName, cancellationToken);
}
