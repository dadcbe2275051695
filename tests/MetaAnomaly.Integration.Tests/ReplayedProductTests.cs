extern alias bench;

using bench::MetaAnomaly.Bench.Replay;
using MetaAnomaly.Detection.Events;
using MetaAnomaly.Shared.Series;

namespace MetaAnomaly.Integration.Tests;

/// <summary>
/// The product as the host composes it, replayed in data time (what <c>bench nab</c> and <c>bench m4</c> run): points
/// pushed through the sources' ingestor, the catch-up and the daily adaptation at their data times, scoring ticks.
/// </summary>
public sealed class ReplayedProductTests
{
    private static readonly DateTimeOffset Start = new(2025, 1, 6, 0, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Step = TimeSpan.FromMinutes(5);
    private static readonly DateTimeOffset Spike = Start + TimeSpan.FromDays(5) + TimeSpan.FromHours(12);

    [Fact]
    public async Task ASpikeOnTheFifthDayOfAReplayedSeriesIsItsStrongestPointAndOpensAnEvent()
    {
        var key = new SeriesKey("replay", [new("host", "a")], "value");
        using var replay = ProductReplay.Compose(Start, [new("Forecasting:MetaTrainingSteps", "30"), new("Forecasting:Device", "cpu")]);
        var random = new Random(3);
        for (var at = Start; at < Start + TimeSpan.FromDays(6); at += Step)
        {
            var daily = 10 * Math.Sin(2 * Math.PI * (at - Start).TotalDays);
            var value = 50 + daily + random.NextDouble() + (at == Spike ? 25 : 0);
            replay.Push([new DataPoint(key, at, value)]);
            if ((at - Start).Ticks % TimeSpan.FromMinutes(15).Ticks == 0)
            {
                await replay.AdvanceToAsync(at, CancellationToken.None);
            }
        }
        await replay.AdvanceToAsync(Start + TimeSpan.FromDays(6), CancellationToken.None);

        var points = replay.Recorder.PointsOf(key);
        Assert.NotEmpty(points);
        Assert.Equal(Spike, points.MaxBy(p => p.Surprise)!.Timestamp);
        Assert.Contains(replay.Recorder.Changes, c => c.Kind == EventChangeKind.Opened && c.Event.Start <= Spike && c.Event.End >= Spike);
    }
}
