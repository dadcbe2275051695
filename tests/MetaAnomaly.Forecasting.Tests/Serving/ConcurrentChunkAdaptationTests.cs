using MetaAnomaly.Forecasting.Episodes;
using MetaAnomaly.Forecasting.Learners;
using MetaAnomaly.Forecasting.Learners.Optimization;
using MetaAnomaly.Forecasting.Serving;

namespace MetaAnomaly.Forecasting.Tests.Serving;

public sealed class ConcurrentChunkAdaptationTests
{
    private static readonly MetaLearnerRegistry Registry = MetaLearnerRegistry.CreateDefault();

    [Theory]
    [InlineData(MamlFactory.LearnerName)]
    [InlineData(MetaSgdFactory.LearnerName)]
    public void ConcurrentChunksEqualOneChunkAtATime(string name)
    {
        using var learner = Registry.Create(name, SyntheticTasks.Settings());
        var random = new Random(21);
        var chunks = Enumerable.Range(0, 7)
            .Select(c => (IReadOnlyList<SeriesSegment>)Enumerable.Range(0, 2 + c % 3).Select(_ => SyntheticTasks.Seasonal(random, 30, 12)).ToArray())
            .ToArray();

        var concurrent = ConcurrentChunkAdaptation.Adapt(learner, chunks, SyntheticTasks.Layout, horizon: 6, workers: 3);
        try
        {
            Assert.Equal(chunks.Length, concurrent.Length);
            for (var c = 0; c < chunks.Length; c++)
            {
                using var alone = ChunkAdaptation.Adapt(learner, chunks[c], SyntheticTasks.Layout, 6);
                Assert.Equal(alone.ResidualScales, concurrent[c].ResidualScales);
                Assert.Equal(alone.Forecasts, concurrent[c].Forecasts);
                for (var t = 0; t < chunks[c].Count; t++)
                {
                    Assert.Equal(alone.Model.Slice(t).Arrays[0].Data, concurrent[c].Model.Slice(t).Arrays[0].Data);
                }
            }
        }
        finally
        {
            foreach (var chunk in concurrent)
            {
                chunk.Dispose();
            }
        }
    }

    [Fact]
    public void AFailingChunkSurfacesItsOwnException()
    {
        using var learner = Registry.Create(MamlFactory.LearnerName, SyntheticTasks.Settings());
        var random = new Random(22);
        var good = Enumerable.Range(0, 3).Select(_ => SyntheticTasks.Seasonal(random, 30, 12)).ToArray();
        IReadOnlyList<SeriesSegment>[] chunks = [good, good, [], good];

        Assert.Throws<ArgumentException>(() => ConcurrentChunkAdaptation.Adapt(learner, chunks, SyntheticTasks.Layout, horizon: 6, workers: 2));
    }
}
