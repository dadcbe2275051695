using MetaAnomaly.Forecasting.Episodes;

namespace MetaAnomaly.Forecasting.Tests.Episodes;

public sealed class OrderStatisticsTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(23)]
    [InlineData(24)]
    [InlineData(48)]
    public void SelectEqualsTheSortedElementAndPartitionsAroundIt(int count)
    {
        var random = new Random(count);
        for (var trial = 0; trial < 200; trial++)
        {
            // Ties, signed zeros and NaNs included: the order must be the sort's (double.CompareTo, NaN first).
            var values = Enumerable.Range(0, count).Select(_ => random.Next(6) switch
            {
                0 => double.NaN,
                1 => -0.0,
                2 => 0.0,
                3 => Math.Round(random.NextDouble() * 4),
                _ => random.NextDouble() - 0.5,
            }).ToArray();
            var sorted = values.ToArray();
            Array.Sort(sorted);
            var k = random.Next(count);
            var selected = values.ToArray();

            var value = OrderStatistics.Select(selected, k);

            Assert.Equal(sorted[k], value);
            Assert.Equal(sorted, selected.Order().ToArray());
            Assert.All(selected[..k], v => Assert.True(v.CompareTo(value) <= 0));
            Assert.All(selected[(k + 1)..], v => Assert.True(v.CompareTo(value) >= 0));
        }
    }

    [Theory]
    [InlineData(47)]
    [InlineData(48)]
    public void MediansEqualTheSortBasedOnes(int count)
    {
        var random = new Random(count);
        for (var trial = 0; trial < 200; trial++)
        {
            var values = Enumerable.Range(0, count).Select(_ => trial % 3 == 0 ? Math.Round(random.NextDouble() * 3) : random.NextDouble()).ToArray();
            var sorted = values.Order().ToArray();
            var median = count % 2 == 1 ? sorted[count / 2] : 0.5 * (sorted[count / 2 - 1] + sorted[count / 2]);

            Assert.Equal(median, OrderStatistics.Median(values.ToArray()));
            Assert.Equal(sorted[count / 2], OrderStatistics.UpperMedian(values.ToArray()));
        }
    }

    [Fact]
    public void AnIndexOutsideTheValuesIsRefused() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => OrderStatistics.Select(new double[3], 3));
}
