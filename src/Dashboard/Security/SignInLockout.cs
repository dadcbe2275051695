using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;

namespace MetaAnomaly.Dashboard.Security;

/// <summary>
/// Locks an account name for <see cref="SignInOptions.LockoutDuration"/> after <see cref="SignInOptions.MaxFailures"/>
/// failed sign-ins in a row. Names without an account lock the same way, so that locking tells nothing about which
/// names exist. Kept in memory (a restart forgets it), bounded to <see cref="MaxTrackedNames"/> names.
/// </summary>
internal sealed class SignInLockout(IOptions<DashboardOptions> options, TimeProvider clock) : IDisposable
{
    public const int MaxTrackedNames = 100_000;

    private readonly MemoryCache _failures = new(new MemoryCacheOptions { SizeLimit = MaxTrackedNames });

    private SignInOptions Settings => options.Value.SignIn;

    /// <summary>Until when the name refuses sign-ins, or null when it is not locked.</summary>
    public DateTimeOffset? LockedUntil(string name)
    {
        if (!_failures.TryGetValue(name, out FailureCount? failures) || failures is null)
        {
            return null;
        }
        lock (failures)
        {
            return failures.LockedUntil is { } until && until > clock.GetUtcNow() ? until : null;
        }
    }

    /// <summary>Counts a failed sign-in; returns until when the name is now locked, or null when it is not.</summary>
    public DateTimeOffset? RecordFailure(string name)
    {
        var settings = Settings;
        var failures = _failures.GetOrCreate(name, entry =>
        {
            entry.Size = 1;
            entry.SlidingExpiration = settings.LockoutDuration * 2;
            return new FailureCount();
        })!;
        var now = clock.GetUtcNow();
        lock (failures)
        {
            if (now - failures.Last > settings.LockoutDuration)
            {
                failures.Count = 0;
                failures.LockedUntil = null;
            }
            failures.Count++;
            failures.Last = now;
            if (failures.Count >= settings.MaxFailures)
            {
                failures.LockedUntil = now + settings.LockoutDuration;
                failures.Count = 0;
            }
            return failures.LockedUntil > now ? failures.LockedUntil : null;
        }
    }

    /// <summary>A successful sign-in forgets the name's failures.</summary>
    public void RecordSuccess(string name) => _failures.Remove(name);

    public void Dispose() => _failures.Dispose();

    private sealed class FailureCount
    {
        public int Count;
        public DateTimeOffset Last = DateTimeOffset.MinValue;
        public DateTimeOffset? LockedUntil;
    }
}
