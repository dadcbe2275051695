using MetaAnomaly.Detection.Events;
using MetaAnomaly.Detection.PostRules;
using MetaAnomaly.Detection.Rules;
using MetaAnomaly.Shared.Series;

namespace MetaAnomaly.Detection.Tests.PostRules;

public sealed class AlarmRulesTests
{
    private static PointAssessment Surprising(int index, double surprise, double value = 20)
    {
        var point = Assessments.At(index, value, 10);
        point.Calibrate(surprise, "the point's deviate");
        return point;
    }

    [Fact]
    public void ASurpriseOverTheThresholdFiresTheRuleAndSaysWhichAndFromWhat()
    {
        var rule = AlarmRules.Create(new DetectionOptions(), ConfiguredThresholds.Instance, SeriesKey.Parse("cpu#usage"));

        var quiet = rule.Through(Surprising(0, 1));
        var loud = rule.Through(Surprising(1, 6));

        Assert.False(quiet.Anomalous);
        Assert.Null(quiet.Reason);
        Assert.Equal(AlarmRuleOptions.Defaults.Threshold, quiet.Threshold);
        Assert.Equal("default", loud.Rule);
        Assert.Contains("rule 'default' fired: surprise 6.0 from the point's deviate", loud.Reason);
    }

    [Fact]
    public void TheFirstRuleInOrderThatFiresNamesThePointAndEveryRuleCountsItsDuration()
    {
        var options = new DetectionOptions
        {
            Rules =
            [
                new AlarmRuleOptions { Name = "drops", Direction = AnomalyDirection.Down },
                new AlarmRuleOptions { Name = "long", MinDuration = 2 },
                new AlarmRuleOptions { Name = "any" },
            ],
        };
        var rule = AlarmRules.Create(options, ConfiguredThresholds.Instance, SeriesKey.Parse("cpu#usage"));

        var first = rule.Through(Surprising(0, 6));
        var second = rule.Through(Surprising(1, 6));

        Assert.Equal("any", first.Rule);
        Assert.Equal("long", second.Rule);
    }

    [Fact]
    public void AnUnscoredPointNeverFires()
    {
        var rule = AlarmRules.Create(new DetectionOptions(), ConfiguredThresholds.Instance, SeriesKey.Parse("cpu#usage"));
        var point = Surprising(0, 9);
        point.Unscored("warm-up");

        Assert.False(rule.Through(point).Anomalous);
    }
}
