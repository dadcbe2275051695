using MetaAnomaly.Forecasting.Periods;

namespace MetaAnomaly.Forecasting.Tests.Periods;

public sealed class SeasonalAnchorCheckTests
{
    [Fact]
    public void ADailyCycleBeatsTheCarriedForwardValue()
    {
        var random = new Random(3);
        var values = Enumerable.Range(0, 24 * 10).Select(i => 50 + 20 * Math.Sin(2 * Math.PI * i / 24) + random.NextDouble()).ToArray();

        Assert.True(SeasonalAnchorCheck.BeatsCarriedForwardValue(values, 24));
    }

    [Fact]
    public void ASmoothCycleWhoseDaysDifferInHeightKeepsItsPeriodThoughThePreviousValueWinsOneStepAhead()
    {
        var random = new Random(5);
        var heights = Enumerable.Range(0, 10).Select(_ => 10 + 20 * random.NextDouble()).ToArray();
        var values = Enumerable.Range(0, 24 * 10).Select(i => 50 + heights[i / 24] * Math.Sin(2 * Math.PI * i / 24)).ToArray();
        var oneStepSeasonal = Enumerable.Range(24, values.Length - 24).Average(i => Math.Abs(values[i] - values[i - 24]));
        var oneStepPrevious = Enumerable.Range(24, values.Length - 24).Average(i => Math.Abs(values[i] - values[i - 1]));

        Assert.True(oneStepPrevious < oneStepSeasonal);
        Assert.True(SeasonalAnchorCheck.BeatsCarriedForwardValue(values, 24));
    }

    [Fact]
    public void AWanderingLevelDoesNotWhateverLagIsClaimed()
    {
        var random = new Random(4);
        var level = 0.0;
        var values = Enumerable.Range(0, 24 * 10).Select(_ => level += random.NextDouble() - 0.5).ToArray();

        Assert.False(SeasonalAnchorCheck.BeatsCarriedForwardValue(values, 24));
        Assert.False(SeasonalAnchorCheck.BeatsCarriedForwardValue(values, 7));
    }

    [Fact]
    public void GapsAreSkippedAndNoPeriodNeverPasses()
    {
        var values = Enumerable.Range(0, 100).Select(i => i % 10 == 3 ? double.NaN : i % 4 == 0 ? 10.0 : 0.0).ToArray();

        Assert.True(SeasonalAnchorCheck.BeatsCarriedForwardValue(values, 4));
        Assert.False(SeasonalAnchorCheck.BeatsCarriedForwardValue(values, 0));
    }
}
