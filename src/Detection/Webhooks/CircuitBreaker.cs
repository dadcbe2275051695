using System.Collections.Concurrent;

namespace MetaAnomaly.Detection.Webhooks;

/// <summary>
/// Per-endpoint circuit breaker: after <c>BreakerFailures</c> consecutive failed attempts the circuit opens and the
/// endpoint gets one probe per <c>MaxBackoff</c> (the oldest due delivery) instead of every due delivery; a probe that
/// succeeds closes it, one that fails keeps it open for another <c>MaxBackoff</c>. Deliveries held back by an open
/// circuit spend no attempt, and none is given up because of the circuit.
/// </summary>
internal sealed class CircuitBreaker(int failuresToOpen, TimeSpan probeEvery)
{
    private readonly ConcurrentDictionary<long, EndpointCircuit> _circuits = new();

    /// <summary>Whether the endpoint's deliveries are held back at <paramref name="now"/> (open and no probe due).</summary>
    public bool IsOpen(long endpointId, DateTimeOffset now) =>
        _circuits.TryGetValue(endpointId, out var circuit) && circuit.NextProbeAt is { } probe && now < probe;

    public void Succeeded(long endpointId) => _circuits.TryRemove(endpointId, out _);

    public void Failed(long endpointId, DateTimeOffset now, string error) =>
        _circuits.AddOrUpdate(endpointId, _ => Next(new EndpointCircuit(0, now, null, error), now, error), (_, circuit) => Next(circuit, now, error));

    /// <summary>The endpoint's failures so far; null while it is healthy.</summary>
    public EndpointCircuit? Of(long endpointId) => _circuits.TryGetValue(endpointId, out var circuit) ? circuit : null;

    private EndpointCircuit Next(EndpointCircuit circuit, DateTimeOffset now, string error)
    {
        var failures = circuit.ConsecutiveFailures + 1;
        return circuit with { ConsecutiveFailures = failures, NextProbeAt = failures >= failuresToOpen ? now + probeEvery : null, LastError = error };
    }
}

/// <summary>An endpoint's run of failed attempts: how many, since when, the next probe while its circuit is open, and why the last one failed.</summary>
internal sealed record EndpointCircuit(int ConsecutiveFailures, DateTimeOffset FailingSince, DateTimeOffset? NextProbeAt, string LastError);
