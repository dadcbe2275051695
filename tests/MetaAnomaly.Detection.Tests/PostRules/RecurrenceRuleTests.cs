using MetaAnomaly.Detection.PostRules;

namespace MetaAnomaly.Detection.Tests.PostRules;

public sealed class RecurrenceRuleTests
{
    private static readonly TimeSpan Hour = TimeSpan.FromHours(1);

    [Fact]
    public void ASpikeAtTheSameHourOnEachOfTheLastThreeDaysIsRecurringAndSaysSo()
    {
        var rule = RecurrenceRule.Create(new DetectionOptions())!;
        foreach (var day in new[] { 0, 1, 2 })
        {
            Assert.False(rule.Through(Assessments.At(day * 24 + 3, 20, 10, step: Hour)).Recurring);
        }

        var today = rule.Through(Assessments.At(3 * 24 + 3, 20, 10, step: Hour));

        Assert.True(today.Recurring);
        Assert.Contains("recurring", today.Reason);
    }

    [Fact]
    public void ASpikeSeenOnOnlyTwoOfTheLastThreeDaysIsNot()
    {
        var rule = RecurrenceRule.Create(new DetectionOptions())!;
        rule.Apply(Assessments.At(0 * 24 + 3, 20, 10, step: Hour));
        rule.Apply(Assessments.At(2 * 24 + 3, 20, 10, step: Hour));

        Assert.False(rule.Through(Assessments.At(3 * 24 + 3, 20, 10, step: Hour)).Recurring);
    }

    [Fact]
    public void AZeroLookbackSwitchesTheRuleOff() =>
        Assert.Null(RecurrenceRule.Create(new DetectionOptions { Recurrence = { Lookback = TimeSpan.Zero } }));
}
