using MetaAnomaly.Detection.Evaluation;
using MetaAnomaly.Testing;

namespace MetaAnomaly.Detection.Tests.Evaluation;

public sealed class NabScorerTests
{
    [Fact]
    public void ReproducesNumentaHtmPublishedScoresOnDevelopmentSplit()
    {
        var corpus = NabCorpus.Open(Path.Combine(TestEnvironment.SharedData, "nab"));
        var files = corpus.ReadResults(Path.Combine(corpus.Root, "reference-results", "numenta"), "numenta");

        AssertScore(75.4, NabScorer.Score(files, NabProfile.Standard));
        AssertScore(70.4, NabScorer.Score(files, NabProfile.RewardLowFalsePositives));
        AssertScore(78.9, NabScorer.Score(files, NabProfile.RewardLowFalseNegatives));
    }

    [Fact]
    public void EarliestDetectionInWindowScoresFullTruePositive()
    {
        var scores = new double[100];
        scores[60] = 1.0;
        var file = new NabFile("c/f.csv", Times(100), scores, [new NabWindow(60, 69)]);

        var result = NabScorer.Score([file], NabProfile.Standard);

        Assert.Equal(1.0, result.Threshold);
        Assert.Equal(100.0, result.NormalizedScore, 6);
    }

    [Fact]
    public void FalsePositiveBeforeFirstWindowCostsFullFalsePositiveWeight()
    {
        var scores = new double[100];
        scores[30] = 1.0;
        scores[65] = 1.0;
        var file = new NabFile("c/f.csv", Times(100), scores, [new NabWindow(60, 69)]);

        var at = NabScorer.ScoreFile(file, NabProfile.Standard, 1.0);

        var late = NabScorer.ScaledSigmoid(-(69 - 65 + 1.0) / 10) / NabScorer.ScaledSigmoid(-1.0);
        Assert.Equal(late - 0.11, at.RawScore, 9);
        Assert.Equal(1, at.FalsePositives);
        Assert.Equal(1, at.TruePositives);
    }

    [Fact]
    public void ProbationaryDetectionsAreIgnored()
    {
        var scores = new double[100];
        scores[5] = 1.0;
        var file = new NabFile("c/f.csv", Times(100), scores, [new NabWindow(60, 69)]);

        Assert.Equal(-1.0, NabScorer.ScoreFile(file, NabProfile.Standard, 1.0).RawScore, 9);
    }

    private static void AssertScore(double published, NabScore score) =>
        Assert.True(Math.Abs(score.NormalizedScore - published) <= 0.1, $"{score.Profile.Name}: {score.NormalizedScore:F3}, published {published}");

    private static DateTime[] Times(int count) =>
        Enumerable.Range(0, count).Select(i => new DateTime(2020, 1, 1).AddMinutes(5 * i)).ToArray();
}
