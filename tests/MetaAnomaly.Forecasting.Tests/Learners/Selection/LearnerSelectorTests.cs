using MetaAnomaly.Forecasting.Episodes;
using MetaAnomaly.Forecasting.Learners;
using MetaAnomaly.Forecasting.Learners.Optimization;
using MetaAnomaly.Forecasting.Learners.Selection;
using MetaAnomaly.Forecasting.Training;
using Microsoft.Extensions.Logging.Abstractions;

namespace MetaAnomaly.Forecasting.Tests.Learners.Selection;

public sealed class LearnerSelectorTests
{
    private static readonly MetaTrainingOptions Training = new(MaxSteps: 20, MetaBatchSize: 6, ValidationInterval: 10, Patience: 2, Seed: 3);

    private static readonly LearnerSelector Selector = new(
        new MetaLearnerRegistry([.. MetaLearnerRegistry.CreateDefault().Factories, new NaiveLastValueLearner.Factory(SyntheticTasks.Layout)]),
        new MetaTrainer(),
        NullLogger<LearnerSelector>.Instance);

    [Fact]
    public void SeasonalClusterChoosesTheMetaTrainedLearner()
    {
        var cluster = Cluster(random => SyntheticTasks.Seasonal(random, 96, SyntheticTasks.Layout.Period, noise: 0.05));

        var selection = Select([NaiveLastValueLearner.LearnerName, MamlFactory.LearnerName], cluster);

        Assert.True(selection.Chosen == MamlFactory.LearnerName, Describe(selection));
        AssertEveryCandidateScored(selection, 2);
        Assert.True(Error(selection, MamlFactory.LearnerName) < 0.5 * Error(selection, NaiveLastValueLearner.LearnerName), Describe(selection));
    }

    [Fact]
    public void RandomWalkClusterChoosesTheNaiveForecast()
    {
        var cluster = Cluster(RandomWalk);

        var selection = Select([MamlFactory.LearnerName, NaiveLastValueLearner.LearnerName], cluster);

        Assert.True(selection.Chosen == NaiveLastValueLearner.LearnerName, Describe(selection));
        AssertEveryCandidateScored(selection, 2);
    }

    [Fact]
    public void ChosenStateLoadsIntoTheChosenLearner()
    {
        var cluster = Cluster(random => SyntheticTasks.Seasonal(random, 96, SyntheticTasks.Layout.Period));

        var selection = Select([MamlFactory.LearnerName], cluster);

        using var learner = MetaLearnerRegistry.CreateDefault().Create(selection.Chosen, SyntheticTasks.Settings());
        learner.Load(new MemoryStream(selection.ChosenState));
        var validation = new EpisodeSampler(cluster.Take(2), SyntheticTasks.Layout).Evenly(2);
        Assert.True(double.IsFinite(MetaTrainer.Validate(learner, validation, SyntheticTasks.Layout)));
    }

    [Fact]
    public void UnknownCandidateIsRecordedAsFailedAndTheOthersStillCompete()
    {
        var cluster = Cluster(random => SyntheticTasks.Seasonal(random, 96, SyntheticTasks.Layout.Period));

        var selection = Select(["no-such-learner", NaiveLastValueLearner.LearnerName], cluster);

        Assert.Equal(NaiveLastValueLearner.LearnerName, selection.Chosen);
        var failed = Assert.Single(selection.Candidates, c => c.Learner == "no-such-learner");
        Assert.Null(failed.ValidationError);
        Assert.Contains("no-such-learner", failed.Failure);
    }

    [Fact]
    public void NoUsableCandidateIsAClearError()
    {
        var cluster = Cluster(random => SyntheticTasks.Seasonal(random, 96, SyntheticTasks.Layout.Period));

        var error = Assert.Throws<InvalidOperationException>(() => Select(["no-such-learner"], cluster));

        Assert.Contains("no-such-learner", error.Message);
    }

    private static LearnerSelection Select(IReadOnlyList<string> candidates, IReadOnlyList<SeriesSegment> cluster) =>
        Selector.Select(candidates, SyntheticTasks.Settings(), cluster, SyntheticTasks.Layout, Training);

    private static IReadOnlyList<SeriesSegment> Cluster(Func<Random, SeriesSegment> series)
    {
        var random = new Random(21);
        return Enumerable.Range(0, 8).Select(_ => series(random)).ToArray();
    }

    private static SeriesSegment RandomWalk(Random random)
    {
        var values = new double[96];
        for (var i = 1; i < values.Length; i++)
        {
            values[i] = values[i - 1] + SyntheticTasks.NextGaussian(random);
        }
        return new SeriesSegment(values, 0);
    }

    private static void AssertEveryCandidateScored(LearnerSelection selection, int count)
    {
        Assert.Equal(count, selection.Candidates.Count);
        Assert.All(selection.Candidates, c => Assert.True(c.ValidationError is > 0 && double.IsFinite(c.ValidationError.Value), Describe(selection)));
        Assert.Equal(selection.Candidates.Min(c => c.ValidationError), Error(selection, selection.Chosen));
    }

    private static double Error(LearnerSelection selection, string learner) =>
        selection.Candidates.Single(c => c.Learner == learner).ValidationError!.Value;

    private static string Describe(LearnerSelection selection) =>
        string.Join(", ", selection.Candidates.Select(c => $"{c.Learner}={c.ValidationError:G4}"));
}
