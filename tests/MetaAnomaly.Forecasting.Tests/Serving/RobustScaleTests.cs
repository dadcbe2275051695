using MetaAnomaly.Forecasting.Serving;

namespace MetaAnomaly.Forecasting.Tests.Serving;

public sealed class RobustScaleTests
{
    [Theory]
    [InlineData(24)]
    [InlineData(23)]
    [InlineData(1)]
    public void EqualsMadAboutTheUpperMedianExactly(int count)
    {
        var random = new Random(count);
        for (var trial = 0; trial < 100; trial++)
        {
            var residuals = Enumerable.Range(0, count).Select(_ => (double)(float)(random.NextDouble() - 0.3)).ToArray();
            var sorted = residuals.Order().ToArray();
            var median = sorted[count / 2];
            var expected = 1.4826 * sorted.Select(r => Math.Abs(r - median)).Order().ToArray()[count / 2];

            Assert.Equal(expected, ChunkAdaptation.RobustScale(residuals));
        }
    }

    [Fact]
    public void NoResidualGivesOne() => Assert.Equal(1.0, ChunkAdaptation.RobustScale(Span<double>.Empty));
}
