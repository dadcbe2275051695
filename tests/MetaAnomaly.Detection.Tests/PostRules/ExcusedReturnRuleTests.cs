using MetaAnomaly.Detection.PostRules;

namespace MetaAnomaly.Detection.Tests.PostRules;

public sealed class ExcusedReturnRuleTests
{
    [Fact]
    public void TheFallBackFromAnExcusedSpikeToWhereItStartedIsExcused()
    {
        var rule = ExcusedReturnRule.Create(new DetectionOptions())!;
        var spike = Assessments.At(0, 30, 10);
        spike.MarkSeen("seen before");
        rule.Apply(spike);

        var fallBack = rule.Through(Assessments.At(1, 10.5, 30));

        Assert.True(fallBack.Seen);
        Assert.Contains("excused excursion", fallBack.Reason);
    }

    [Fact]
    public void TheFallBackFromASpikeNobodyExcusedStillCounts()
    {
        var rule = ExcusedReturnRule.Create(new DetectionOptions())!;
        rule.Apply(Assessments.At(0, 30, 10));

        Assert.False(rule.Through(Assessments.At(1, 10.5, 30)).Seen);
    }

    [Fact]
    public void AFallBelowWhereTheExcursionStartedIsNotExcused()
    {
        var rule = ExcusedReturnRule.Create(new DetectionOptions())!;
        var spike = Assessments.At(0, 30, 10);
        spike.MarkSeen("seen before");
        rule.Apply(spike);

        Assert.False(rule.Through(Assessments.At(1, 0, 30)).Seen);
    }

    [Fact]
    public void TheRuleCanBeSwitchedOff() =>
        Assert.Null(ExcusedReturnRule.Create(new DetectionOptions { ExcusedReturn = { Enabled = false } }));
}
