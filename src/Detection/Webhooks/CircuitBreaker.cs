using System.Collections.Concurrent;

namespace MetaAnomaly.Detection.Webhooks;

/// <summary>
/// Per-endpoint circuit breaker: after <see cref="WebhookOptions.BreakerFailures"/> consecutive failed attempts the
/// endpoint is left alone for <see cref="WebhookOptions.BreakerOpenFor"/>; then one trial attempt closes it on success
/// or reopens it on failure. Deliveries held back by an open circuit spend no attempt.
/// </summary>
internal sealed class CircuitBreaker(int failuresToOpen, TimeSpan openFor)
{
    private readonly ConcurrentDictionary<long, (int Failures, DateTimeOffset OpenUntil)> _state = new();

    public bool IsOpen(long endpointId, DateTimeOffset now) =>
        _state.TryGetValue(endpointId, out var s) && s.Failures >= failuresToOpen && now < s.OpenUntil;

    public void Succeeded(long endpointId) => _state.TryRemove(endpointId, out _);

    public void Failed(long endpointId, DateTimeOffset now) =>
        _state.AddOrUpdate(endpointId, _ => (1, 1 >= failuresToOpen ? now + openFor : DateTimeOffset.MinValue),
            (_, s) => (s.Failures + 1, s.Failures + 1 >= failuresToOpen ? now + openFor : s.OpenUntil));
}
