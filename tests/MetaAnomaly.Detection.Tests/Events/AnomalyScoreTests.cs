using MetaAnomaly.Detection.Events;
using MetaAnomaly.Detection.Tests.Support;

namespace MetaAnomaly.Detection.Tests.Events;

public sealed class AnomalyScoreTests
{
    [Theory]
    [InlineData(0, 0)]
    [InlineData(3.719, 40)]
    [InlineData(4.753, 50)]
    [InlineData(10.1, 80)]
    public void TheScoreIsTheRarityInDecadesMappedOntoZeroToHundred(double surprise, double expected) =>
        Assert.Equal(expected, AnomalyScore.FromSurprise(surprise), 0);

    [Fact]
    public void TheScoreKeepsRisingWhereTheProbabilityHasSaturated()
    {
        var scores = new[] { 8.0, 20, 40, 80 }.Select(AnomalyScore.FromSurprise).ToArray();

        Assert.Equal(scores.Order(), scores);
        Assert.Equal(scores.Length, scores.Distinct().Count());
        Assert.All(scores, s => Assert.InRange(s, 0, 100));
    }

    [Fact]
    public void TheExplanationSaysWhatTheSeriesDidAgainstTheForecastWithTheScore()
    {
        var at = Synthetic.Start;
        var anomaly = new AnomalyEvent(7, "cpu,host=a#usage", "c1", at, at.AddMinutes(10), at, 42, 10, 8, 12, 16, 0.999999, AnomalySeverity.High,
            AnomalyDirection.Up, "default", false, 3, AnomalyFeedbackKind.None, at, Surprise: 6.5);

        var sentence = AnomalyExplanation.Sentence(anomaly);

        Assert.Equal(
            $"cpu,host=a#usage was 42 at its peak, 32 above the 10 forecast, outside the normal band 8 to 12, for 10 min (3 points): anomaly score {anomaly.AnomalyScore:0}/100 (High, rule 'default').",
            sentence);
    }
}
