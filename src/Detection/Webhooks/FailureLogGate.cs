using System.Collections.Concurrent;

namespace MetaAnomaly.Detection.Webhooks;

/// <summary>
/// Remembers, per key (an endpoint, the outbox poll), the reason of the failure last logged in full: a failure that
/// repeats itself is then logged in one line, and its details (the explanation, a stack trace) once per change of
/// reason, however often a dead endpoint is retried.
/// </summary>
internal sealed class FailureLogGate
{
    private readonly ConcurrentDictionary<long, string> _reasons = new();

    /// <summary>Records <paramref name="reason"/> for the key; true when it differs from the one recorded before.</summary>
    public bool Changed(long key, string reason)
    {
        var previous = _reasons.GetValueOrDefault(key);
        _reasons[key] = reason;
        return !string.Equals(previous, reason, StringComparison.Ordinal);
    }

    /// <summary>Forgets the key's failure; true when it had one (the failure has ended).</summary>
    public bool Ended(long key) => _reasons.TryRemove(key, out _);
}
