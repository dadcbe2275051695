using MetaAnomaly.Detection.PostRules;

namespace MetaAnomaly.Detection.Tests.PostRules;

public sealed class PointCalibrationRuleTests
{
    [Fact]
    public void ASeenSpikeHasItsSurpriseDividedByTheDiscountAndANewOneNot()
    {
        var options = new DetectionOptions();
        var (fresh, seen) = (PointCalibrationRule.Create(options), PointCalibrationRule.Create(options));
        var random = new Random(3);
        for (var i = 0; i < 300; i++)
        {
            var noise = 10 + random.NextDouble() - 0.5;
            fresh.Apply(Assessments.At(i, noise, 10));
            seen.Apply(Assessments.At(i, noise, 10));
        }
        var seenSpike = Assessments.At(300, 20, 10);
        seenSpike.MarkSeen("seen before");

        var freshSpike = fresh.Through(Assessments.At(300, 20, 10));
        seen.Apply(seenSpike);

        Assert.True(freshSpike.Surprise > 5, $"surprise {freshSpike.Surprise}");
        Assert.Equal(freshSpike.Surprise / ScoringOptions.Defaults.SeenDeviationDiscount, seenSpike.Surprise, 12);
        Assert.Equal("the point's deviate", freshSpike.SurpriseSource);
        Assert.Contains("as seen before", seenSpike.SurpriseSource);
    }

    [Fact]
    public void ARecurringPointIsCalibratedAsOrdinary()
    {
        var rule = PointCalibrationRule.Create(new DetectionOptions());
        for (var i = 0; i < 100; i++)
        {
            rule.Apply(Assessments.At(i, 10 + 0.1 * (i % 5), 10));
        }
        var recurring = Assessments.At(100, 30, 10);
        recurring.MarkRecurring("every night");

        Assert.Equal(0, rule.Through(recurring).Surprise);
    }
}
