using MetaAnomaly.Detection.Webhooks;

namespace MetaAnomaly.Detection.Tests.Webhooks;

public sealed class RetryScheduleTests
{
    private static readonly TimeSpan Initial = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan Max = TimeSpan.FromMinutes(5);
    private readonly RetrySchedule _schedule = new(Initial, Max, TimeSpan.FromHours(24));

    [Theory]
    [InlineData(0.0)]
    [InlineData(0.37)]
    [InlineData(1.0)]
    public void DelaysGrowWithEachAttemptAndNeverPassMaxBackoff(double jitter)
    {
        var delays = Enumerable.Range(1, 64).Select(attempt => _schedule.Delay(attempt, jitter)).ToArray();

        Assert.All(delays.Zip(delays.Skip(1)), pair => Assert.True(pair.Second >= pair.First));
        Assert.All(delays, delay => Assert.InRange(delay, Initial / 2, Max));
        Assert.Equal(Max * (0.5 + 0.5 * jitter), delays[^1]);
    }

    [Fact]
    public void FullJitterReachesMaxBackoffOnceTheExponentialPassesIt()
    {
        Assert.Equal(Initial, _schedule.Delay(1, 1.0));
        Assert.Equal(Initial * 128, _schedule.Delay(8, 1.0));
        Assert.Equal(Max, _schedule.Delay(9, 1.0));
    }

    [Fact]
    public void TheLastRetryFallsOnTheHorizonAndNoneAfterIt()
    {
        var since = new DateTimeOffset(2026, 11, 30, 0, 0, 0, TimeSpan.Zero);
        var deadline = since + TimeSpan.FromHours(24);

        Assert.Equal(since + TimeSpan.FromSeconds(61), _schedule.NextAttempt(since, 1, since + TimeSpan.FromMinutes(1), 0.0));
        Assert.Equal(deadline, _schedule.NextAttempt(since, 40, deadline - TimeSpan.FromMinutes(1), 1.0));
        Assert.Null(_schedule.NextAttempt(since, 41, deadline, 0.0));
    }
}
