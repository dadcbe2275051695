using MetaAnomaly.Detection.PostRules;

namespace MetaAnomaly.Detection.Tests.PostRules;

public sealed class DeviationMemoryRuleTests
{
    [Fact]
    public void ADeviationOfASizeMadeBeforeIsSeenAndANewOneSaysItIsNew()
    {
        var rule = DeviationMemoryRule.Create(new DetectionOptions())!;
        var first = rule.Through(Assessments.At(0, 20, 10));
        for (var i = 1; i < 50; i++)
        {
            rule.Apply(Assessments.At(i, 10 + i % 3, 10 + (i + 1) % 3));
        }

        var again = rule.Through(Assessments.At(50, 20.5, 10));

        Assert.False(first.Seen);
        Assert.Contains("no deviation of this size", first.Reason);
        Assert.True(again.Seen);
        Assert.Contains("deviation memory saw", again.Reason);
    }

    [Fact]
    public void ADeviationWithinTheExclusionOfItsTwinIsNotSeen()
    {
        var rule = DeviationMemoryRule.Create(new DetectionOptions())!;
        rule.Apply(Assessments.At(0, 20, 10));

        Assert.False(rule.Through(Assessments.At(1, 20, 10)).Seen);
    }

    [Fact]
    public void ZeroPointsSwitchTheMemoryOff() =>
        Assert.Null(DeviationMemoryRule.Create(new DetectionOptions { DeviationMemory = { Points = 0 } }));
}
