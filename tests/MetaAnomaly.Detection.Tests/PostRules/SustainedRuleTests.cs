using MetaAnomaly.Detection.PostRules;
using MetaAnomaly.Detection.Tests.Support;

namespace MetaAnomaly.Detection.Tests.PostRules;

public sealed class SustainedRuleTests
{
    [Fact]
    public void ABurstOfModerateDeviationsRaisesTheSurpriseAndNamesTheSustainedScore()
    {
        var rule = SustainedRule.Create(new DetectionOptions())!;
        // Gaussian noise of one scale: its deviates are standard normal, as the calibration expects.
        var noise = Synthetic.Seasonal(300, seed: 4, period: 1);
        for (var i = 0; i < 300; i++)
        {
            rule.Apply(Assessments.At(i, noise[i], 50));
        }

        var burst = Enumerable.Range(300, 6).Select(i => rule.Through(Assessments.At(i, i % 2 == 0 ? 53 : 47, 50))).ToArray()[^1];

        Assert.True(burst.Surprise > 5, $"surprise {burst.Surprise}");
        Assert.Contains("sustained score", burst.SurpriseSource);
    }

    [Fact]
    public void ItNeverLowersASurpriseAlreadyHigher()
    {
        var rule = SustainedRule.Create(new DetectionOptions())!;
        var point = Assessments.At(0, 10, 10);
        point.Calibrate(9, "the point's deviate");

        Assert.Equal(9, rule.Through(point).Surprise);
        Assert.Equal("the point's deviate", point.SurpriseSource);
    }

    [Fact]
    public void AZeroWindowSwitchesItOff() =>
        Assert.Null(SustainedRule.Create(new DetectionOptions { Sustained = { Window = 0 } }));
}
