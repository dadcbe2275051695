using MetaAnomaly.Detection.PostRules;

namespace MetaAnomaly.Detection.Tests.PostRules;

public sealed class WarmupRuleTests
{
    [Fact]
    public void TheFirstPointsAreUnscoredWithTheReasonAndTheNextOneIsScored()
    {
        var rule = WarmupRule.Create(new DetectionOptions { Warmup = { Points = 3 } });

        var points = Enumerable.Range(0, 4).Select(i => rule.Through(Assessments.At(i, 10, 10))).ToArray();

        Assert.Equal([false, false, false, true], points.Select(p => p.Scored));
        Assert.Equal("warm-up: point 3 of 3 while the calibration learns the series", points[2].Reason);
        Assert.Null(points[3].Reason);
    }

    [Fact]
    public void PrimedHistoryCountsTowardsTheWarmUpButIsNeverScored()
    {
        var rule = WarmupRule.Create(new DetectionOptions { Warmup = { Points = 3 } });

        var primed = Enumerable.Range(0, 3).Select(i => rule.Through(Assessments.At(i, 10, 10, priming: true))).ToArray();
        var live = rule.Through(Assessments.At(3, 10, 10));

        Assert.All(primed, p => Assert.False(p.Scored));
        Assert.True(live.Scored);
    }
}
