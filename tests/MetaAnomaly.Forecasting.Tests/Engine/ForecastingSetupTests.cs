using MetaAnomaly.Forecasting.Engine;
using MetaAnomaly.Forecasting.Episodes;
using MetaAnomaly.Forecasting.Extensions;
using MetaAnomaly.Forecasting.Serving;
using MetaAnomaly.Forecasting.Tests.Serving;
using MetaAnomaly.Shared.Forecasts;
using Microsoft.Extensions.Options;

namespace MetaAnomaly.Forecasting.Tests.Engine;

public sealed class ForecastingSetupTests
{
    private static readonly TimeSpan FiveMinutes = TimeSpan.FromMinutes(5);

    [Theory]
    [InlineData(24, 60, 24, 168)]
    [InlineData(168, 60, 24, 168)]
    [InlineData(288, 5, 288, 2016)]
    public void WithTheMultiSeasonalAnchorAPeriodOfADayOrAWeekBlendsTheCalendarDayAndWeek(int period, int stepMinutes, int day, int week)
    {
        var layout = Setup(multiSeasonal: true).LayoutFor(period, TimeSpan.FromMinutes(stepMinutes));

        Assert.True(layout.MultiSeasonal);
        Assert.Equal(day, layout.ShortAnchorLag);
        Assert.Equal(week, layout.LongAnchorLag);
    }

    [Theory]
    [InlineData(12, 5)]
    [InlineData(84, 5)]
    [InlineData(10, 60)]
    [InlineData(42, 60)]
    [InlineData(24, 7)]
    [InlineData(0, 60)]
    public void APeriodThatIsNeitherACalendarDayNorAWeekGetsTheLayoutWithoutTheBlend(int period, int stepMinutes)
    {
        var step = TimeSpan.FromMinutes(stepMinutes);

        var layout = Setup(multiSeasonal: true).LayoutFor(period, step);

        Assert.False(layout.MultiSeasonal);
        Assert.Equal(Setup(multiSeasonal: false).LayoutFor(period, step), layout);
    }

    [Fact]
    public void AnUnknownOrMixedStepGetsTheLayoutWithoutTheBlend()
    {
        var states = new SeriesStates();
        states.Set(new SeriesEntry(CoreTestBed.Key("hourly"), TimeSpan.FromHours(1), 24, [], "p24-a", SeriesModelStatus.Pending, null));
        states.Set(new SeriesEntry(CoreTestBed.Key("fine"), FiveMinutes, 24, [], "p24-a", SeriesModelStatus.Pending, null));

        var mixed = states.CommonStep([CoreTestBed.Key("hourly"), CoreTestBed.Key("fine")]);

        Assert.Null(mixed);
        Assert.Equal(TimeSpan.FromHours(1), states.CommonStep([CoreTestBed.Key("hourly")]));
        Assert.Equal(Setup(multiSeasonal: false).LayoutFor(24, null), Setup(multiSeasonal: true).LayoutFor(24, mixed));
    }

    [Fact]
    public void AWeekTheHistoryCannotHoldIsNotBlended()
    {
        var minute = TimeSpan.FromMinutes(1);

        Assert.False(Setup(multiSeasonal: true).LayoutFor(1440, minute).MultiSeasonal);
        Assert.True(Setup(multiSeasonal: true, historyLength: 8 * 1440).LayoutFor(1440, minute).MultiSeasonal);
        Assert.False(Setup(multiSeasonal: true, historyLength: 8 * 288 - 1).LayoutFor(288, FiveMinutes).MultiSeasonal);
    }

    [Theory]
    [InlineData(60, 24)]
    [InlineData(5, 288)]
    [InlineData(1, 1440)]
    [InlineData(7, 0)]
    [InlineData(0, 0)]
    public void ADayIsAWholeNumberOfSlotsOrNone(int stepMinutes, int slots) =>
        Assert.Equal(slots, EpisodeLayout.SlotsPerDay(TimeSpan.FromMinutes(stepMinutes)));

    private static ForecastingSetup Setup(bool multiSeasonal, int historyLength = 4096) =>
        new(Options.Create(new ForecastingOptions { MultiSeasonalAnchor = multiSeasonal, HistoryLength = historyLength }));
}
