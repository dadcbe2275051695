using MetaAnomaly.Forecasting.Episodes;
using MetaAnomaly.Forecasting.Learners;
using MetaAnomaly.Forecasting.Training;

namespace MetaAnomaly.Forecasting.Tests.Training;

public sealed class MetaTrainerTests
{
    private static readonly MetaLearnerRegistry Registry = MetaLearnerRegistry.CreateDefault();
    private static readonly MetaTrainingOptions Options = new(MaxSteps: 30, MetaBatchSize: 8, ValidationInterval: 10, Patience: 2, Seed: 3);

    [Fact]
    public void SeededTrainingRepeatsAndKeepsTheBestValidatedState()
    {
        var first = Train(Series(5));
        var second = Train(Series(5));
        Assert.Equal(first.TrainingLosses, second.TrainingLosses);
        Assert.Equal(first.ValidationError, second.ValidationError);
        Assert.True(first.ValidationError <= first.InitialValidationError);
        Assert.True(first.Steps > 0);
    }

    [Fact]
    public void ASingleSeriesClusterValidatesOnItsLatestStretch()
    {
        var report = Train(Series(1));
        Assert.True(double.IsFinite(report.ValidationError));
    }

    [Fact]
    public void SeriesTooShortForATaskAreRejectedClearly()
    {
        using var learner = Registry.Create("maml", SyntheticTasks.Settings());
        var tooShort = new[] { new SeriesSegment(new double[10], 0) };
        var error = Assert.Throws<ArgumentException>(() => new MetaTrainer().Train(learner, tooShort, SyntheticTasks.Layout, Options));
        Assert.Contains("too short", error.Message);
    }

    [Fact]
    public void CancellationStopsTraining()
    {
        using var learner = Registry.Create("maml", SyntheticTasks.Settings());
        Assert.Throws<OperationCanceledException>(() => new MetaTrainer().Train(learner, Series(3), SyntheticTasks.Layout, Options, null, new CancellationToken(true)));
    }

    private static MetaTrainingReport Train(IReadOnlyList<SeriesSegment> series)
    {
        using var learner = Registry.Create("maml", SyntheticTasks.Settings());
        return new MetaTrainer().Train(learner, series, SyntheticTasks.Layout, Options);
    }

    private static SeriesSegment[] Series(int count)
    {
        var random = new Random(8);
        return Enumerable.Range(0, count).Select(_ => SyntheticTasks.Seasonal(random, 120, SyntheticTasks.Layout.Period)).ToArray();
    }
}
