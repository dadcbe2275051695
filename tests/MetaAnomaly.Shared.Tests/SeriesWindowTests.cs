using MetaAnomaly.Shared.Series;

namespace MetaAnomaly.Shared.Tests;

public sealed class SeriesWindowTests
{
    private static readonly SeriesKey Key = SeriesKey.Parse("m#v");
    private static readonly DateTimeOffset Start = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public void TimestampsFollowTheStep()
    {
        var window = new SeriesWindow(Key, Start, TimeSpan.FromMinutes(5), [1, 2, double.NaN, 4]);

        Assert.Equal(Start.AddMinutes(10), window.TimestampAt(2));
        Assert.Equal(Start.AddMinutes(15), window.End);
        Assert.Equal(1, window.GapCount);
    }

    [Fact]
    public void TakeLastKeepsTheLatestSlotsAndShiftsTheStart()
    {
        var window = new SeriesWindow(Key, Start, TimeSpan.FromMinutes(5), [1, 2, 3, 4]);

        var last = window.TakeLast(2);

        Assert.Equal([3.0, 4.0], last.Values);
        Assert.Equal(Start.AddMinutes(10), last.Start);
        Assert.Equal(window.End, last.End);
        Assert.Equal(4, window.TakeLast(10).Count);
    }
}
