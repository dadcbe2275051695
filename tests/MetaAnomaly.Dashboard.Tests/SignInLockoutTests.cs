using MetaAnomaly.Dashboard.Security;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace MetaAnomaly.Dashboard.Tests;

public sealed class SignInLockoutTests
{
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));

    [Fact]
    public void LockLiftsAfterTheLockoutDuration()
    {
        using var lockout = Lockout(maxFailures: 3);
        Assert.Null(lockout.RecordFailure("admin"));
        Assert.Null(lockout.RecordFailure("admin"));
        Assert.Equal(_clock.GetUtcNow().AddMinutes(5), lockout.RecordFailure("admin"));

        _clock.Advance(TimeSpan.FromMinutes(4));
        Assert.NotNull(lockout.LockedUntil("admin"));
        _clock.Advance(TimeSpan.FromMinutes(1.5));
        Assert.Null(lockout.LockedUntil("admin"));
        Assert.Null(lockout.RecordFailure("admin"));
    }

    [Fact]
    public void FailuresFarApartDoNotAddUp()
    {
        using var lockout = Lockout(maxFailures: 2);
        Assert.Null(lockout.RecordFailure("admin"));
        _clock.Advance(TimeSpan.FromMinutes(6));
        Assert.Null(lockout.RecordFailure("admin"));
        Assert.NotNull(lockout.RecordFailure("admin"));
    }

    [Fact]
    public void NamesLockIndependently()
    {
        using var lockout = Lockout(maxFailures: 1);
        Assert.NotNull(lockout.RecordFailure("admin"));
        Assert.Null(lockout.LockedUntil("viewer"));
    }

    private SignInLockout Lockout(int maxFailures) => new(
        Options.Create(new DashboardOptions { SignIn = { MaxFailures = maxFailures, LockoutDuration = TimeSpan.FromMinutes(5) } }), _clock);
}
