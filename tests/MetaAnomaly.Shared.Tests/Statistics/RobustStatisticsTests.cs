using MetaAnomaly.Shared.Statistics;

namespace MetaAnomaly.Shared.Tests.Statistics;

public sealed class RobustStatisticsTests
{
    [Theory]
    [InlineData(new[] { 3.0, 1.0, 2.0 }, 2.0)]
    [InlineData(new[] { 4.0, 1.0, 3.0, 2.0 }, 2.5)]
    public void MedianIsTheMiddleValueOrTheMeanOfTheTwoMiddleOnes(double[] values, double expected) =>
        Assert.Equal(expected, RobustStatistics.Median(values));

    [Fact]
    public void MadScaleIgnoresOutliersAndEstimatesANormalStandardDeviation()
    {
        var random = new Random(7);
        var sample = Enumerable.Range(0, 20_000).Select(_ => BoxMuller(random) * 3.0).ToArray();
        sample[0] = 1e9;
        sample[1] = -1e9;
        Assert.InRange(RobustStatistics.MadScale(sample), 2.9, 3.1);
    }

    [Fact]
    public void StatisticsOfNothingAreNaN()
    {
        Assert.True(double.IsNaN(RobustStatistics.Median(Span<double>.Empty)));
        Assert.True(double.IsNaN(RobustStatistics.MadScale(Span<double>.Empty)));
    }

    private static double BoxMuller(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
}
