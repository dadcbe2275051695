using MetaAnomaly.Forecasting.Serving;

namespace MetaAnomaly.Forecasting.Tests.Serving;

public sealed class RobustScaleTests
{
    [Theory]
    [InlineData(24)]
    [InlineData(23)]
    [InlineData(1)]
    public void EqualsMadAboutTheMedianExactly(int count)
    {
        var random = new Random(count);
        for (var trial = 0; trial < 100; trial++)
        {
            var residuals = Enumerable.Range(0, count).Select(_ => (double)(float)(random.NextDouble() - 0.3)).ToArray();
            var median = Median(residuals);
            var expected = 1.4826 * Median(residuals.Select(r => Math.Abs(r - median)).ToArray());

            Assert.Equal(expected, ChunkAdaptation.RobustScale(residuals));
        }
    }

    [Fact]
    public void AnEvenCountTakesTheMeanOfTheTwoMiddleValues() =>
        Assert.Equal(1.4826 * 2.0, ChunkAdaptation.RobustScale([0.0, 1.0, 4.0, 10.0]));

    [Fact]
    public void NoResidualGivesOne() => Assert.Equal(1.0, ChunkAdaptation.RobustScale(Span<double>.Empty));

    private static double Median(double[] values)
    {
        var sorted = values.Order().ToArray();
        var n = sorted.Length;
        return n % 2 == 1 ? sorted[n / 2] : 0.5 * (sorted[n / 2 - 1] + sorted[n / 2]);
    }
}
