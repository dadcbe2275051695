using MetaAnomaly.Detection.PostRules;
using MetaAnomaly.Shared.Statistics;

namespace MetaAnomaly.Detection.Tests.PostRules;

public sealed class FlatlineRuleTests
{
    [Fact]
    public void AValueStuckLongerThanEverRaisesTheSurpriseToTheFlatlineProbability()
    {
        var options = new DetectionOptions { Flatline = { MemoryPoints = 400 } };
        var rule = FlatlineRule.Create(options)!;
        var random = new Random(5);
        for (var i = 0; i < 400; i++)
        {
            rule.Apply(Assessments.At(i, random.Next(10, 13), 11));
        }

        var stuck = Enumerable.Range(400, 20).Select(i => rule.Through(Assessments.At(i, 11, 11))).ToArray();

        Assert.Equal(0, stuck[5].Surprise);
        Assert.Equal(NormalQuantile.Of(options.Flatline.Probability), stuck[^1].Surprise);
        Assert.Contains("flatline", stuck[^1].SurpriseSource);
    }

    [Fact]
    public void ZeroMinimumPointsSwitchTheRuleOff() =>
        Assert.Null(FlatlineRule.Create(new DetectionOptions { Flatline = { MinPoints = 0 } }));
}
