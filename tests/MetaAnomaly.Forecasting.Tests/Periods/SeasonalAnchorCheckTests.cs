using MetaAnomaly.Forecasting.Periods;

namespace MetaAnomaly.Forecasting.Tests.Periods;

public sealed class SeasonalAnchorCheckTests
{
    [Fact]
    public void ADailyCycleBeatsThePreviousValue()
    {
        var random = new Random(3);
        var values = Enumerable.Range(0, 24 * 10).Select(i => 50 + 20 * Math.Sin(2 * Math.PI * i / 24) + random.NextDouble()).ToArray();

        Assert.True(SeasonalAnchorCheck.BeatsPreviousValue(values, 24));
    }

    [Fact]
    public void AWanderingLevelDoesNotWhateverLagIsClaimed()
    {
        var random = new Random(4);
        var level = 0.0;
        var values = Enumerable.Range(0, 24 * 10).Select(_ => level += random.NextDouble() - 0.5).ToArray();

        Assert.False(SeasonalAnchorCheck.BeatsPreviousValue(values, 24));
        Assert.False(SeasonalAnchorCheck.BeatsPreviousValue(values, 7));
    }

    [Fact]
    public void GapsAreSkippedAndNoPeriodNeverPasses()
    {
        var values = Enumerable.Range(0, 100).Select(i => i % 10 == 3 ? double.NaN : i % 4 == 0 ? 10.0 : 0.0).ToArray();

        Assert.True(SeasonalAnchorCheck.BeatsPreviousValue(values, 4));
        Assert.False(SeasonalAnchorCheck.BeatsPreviousValue(values, 0));
    }
}
