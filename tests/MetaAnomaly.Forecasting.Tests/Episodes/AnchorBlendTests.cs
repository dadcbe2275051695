using MetaAnomaly.Forecasting.Episodes;
using MetaAnomaly.Forecasting.Serving;
using MetaAnomaly.Forecasting.Tests.Serving;
using static TorchSharp.torch;

namespace MetaAnomaly.Forecasting.Tests.Episodes;

public sealed class AnchorBlendTests
{
    private static readonly EpisodeLayout Daily = new(Lags: 24, Period: 24, SupportSize: 24, QuerySize: 0) { DayLag = 24 };

    [Theory]
    [InlineData(24, 24, 168)]
    [InlineData(168, 24, 168)]
    public void ADailyPeriodBlendsItselfAndItsWeekAWeeklyPeriodItsDayAndItself(int period, int shortLag, int longLag)
    {
        var layout = Daily with { Period = period };

        Assert.Equal(shortLag, layout.ShortAnchorLag);
        Assert.Equal(longLag, layout.LongAnchorLag);
        Assert.Equal(Math.Max(layout.Reach, longLag), layout.AnchorReach);
    }

    [Fact]
    public void WithoutADayDirectAperiodicOrWithAPeriodNeitherADayNorAWeekTheAnchorIsOneLag()
    {
        foreach (var layout in new[] { Daily with { DayLag = 0 }, Daily with { Direct = true }, Daily with { Period = 0 }, Daily with { Period = 12 }, Daily with { Period = 84 } })
        {
            Assert.False(layout.MultiSeasonal);
            Assert.Equal(0, layout.LongAnchorLag);
            Assert.Equal(layout.AnchorLag, layout.ShortAnchorLag);
            Assert.Equal(layout.Reach, layout.AnchorReach);
        }
    }

    [Fact]
    public void ASeriesThatRepeatsEveryWeekTakesLastWeek()
    {
        var values = Weekly(new Random(3), weeks: 4, trend: 0);

        var blend = AnchorBlend.Choose(values, values.Length, Daily);

        Assert.Equal(new AnchorBlend(1), blend);
        Assert.Equal(values[^168], blend.ValueAt(values, values.Length, Daily), 9);
    }

    [Fact]
    public void ASeriesHalfDailyHalfWeeklyTakesTheHalfBlend()
    {
        var random = new Random(4);
        var values = Enumerable.Range(0, 168).Select(_ => 10 * random.NextDouble()).ToList();
        while (values.Count < 168 * 4)
        {
            values.Add(0.5 * values[^24] + 0.5 * values[^168]);
        }

        var blend = AnchorBlend.Choose(values.ToArray(), values.Count, Daily);

        Assert.Equal(new AnchorBlend(0.5), blend);
    }

    [Fact]
    public void ASeriesThatRepeatsEveryDayKeepsYesterday()
    {
        var day = Enumerable.Range(0, 24).Select(h => Math.Sin(h / 3.0)).ToArray();
        var values = Enumerable.Range(0, 24 * 21).Select(i => 5 + day[i % 24]).ToArray();

        Assert.Equal(AnchorBlend.ShortLag, AnchorBlend.Choose(values, values.Length, Daily));
    }

    [Fact]
    public void AHistoryShorterThanTheLongLagAndOneDayKeepsTheShortLag()
    {
        var values = Weekly(new Random(5), weeks: 4, trend: 0)[..(168 + 23)];

        Assert.Equal(AnchorBlend.ShortLag, AnchorBlend.Choose(values, values.Length, Daily));
    }

    [Fact]
    public void TheChoiceReadsNothingAfterItsEnd()
    {
        var values = Weekly(new Random(6), weeks: 4, trend: 0);
        var changedLater = values.ToArray();
        for (var i = 400; i < changedLater.Length; i++)
        {
            changedLater[i] = -changedLater[i];
        }

        Assert.Equal(AnchorBlend.Choose(values, 400, Daily), AnchorBlend.Choose(changedLater, 400, Daily));
    }

    [Fact]
    public void AGapInAWeighedSlotMakesTheAnchorAGap()
    {
        var values = Weekly(new Random(7), weeks: 2, trend: 0);
        values[^168] = double.NaN;

        Assert.True(double.IsNaN(new AnchorBlend(1).ValueAt(values, values.Length, Daily)));
        Assert.False(double.IsNaN(AnchorBlend.ShortLag.ValueAt(values, values.Length, Daily)));
    }

    [Fact]
    public void AZeroDeviationRollsTheBlendForward()
    {
        var values = Weekly(new Random(8), weeks: 3, trend: 0.2);
        var blend = new AnchorBlend(0.75);
        var normalisation = TaskNormalisation.FromObserved(values.AsSpan(values.Length - 48)) with { Anchor = blend };
        using var model = new ZeroBatch(1);

        var forecast = ChunkAdaptation.Roll(model, [new SeriesSegment(values, 0)], [normalisation], Daily, 48, CPU)[0];

        var extended = values.ToList();
        for (var h = 0; h < 48; h++)
        {
            extended.Add(blend.ValueAt(extended.ToArray(), extended.Count, Daily));
            Assert.Equal(extended[^1], forecast[h], 3);
        }
    }

    /// <summary>A different random day for each day of the week, repeated, on a linear trend per slot.</summary>
    private static double[] Weekly(Random random, int weeks, double trend)
    {
        var week = Enumerable.Range(0, 168).Select(_ => 10 * random.NextDouble()).ToArray();
        return Enumerable.Range(0, 168 * weeks).Select(i => 100 + week[i % 168] + trend * i).ToArray();
    }
}
