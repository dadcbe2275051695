using MetaAnomaly.Dashboard.Charts;

namespace MetaAnomaly.Dashboard.Tests;

public sealed class DownsamplerTests
{
    private static readonly DateTimeOffset Start = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private static DateTimeOffset[] Times(int count) => Enumerable.Range(0, count).Select(i => Start.AddMinutes(5 * i)).ToArray();

    [Fact]
    public void ShortSeriesPassThroughUnchanged()
    {
        var values = new[] { 1.0, double.NaN, 3.0 };
        var (x, y) = Downsampler.MinMax(Times(3), values, 100);
        Assert.Equal(3, x.Length);
        Assert.Equal(values, y);
    }

    [Fact]
    public void WideSeriesKeepsAtMostMaxPointsAndItsSpikeAndDip()
    {
        var random = new Random(7);
        var values = Enumerable.Range(0, 20_000).Select(_ => random.NextDouble()).ToArray();
        values[12_345] = 50;
        values[777] = -50;
        var (x, y) = Downsampler.MinMax(Times(values.Length), values, 1000);
        Assert.True(x.Length <= 1000, $"{x.Length} points kept");
        Assert.Contains(50.0, y);
        Assert.Contains(-50.0, y);
        Assert.Equal(Start.AddMinutes(5 * 12_345), x[Array.IndexOf(y, 50.0)]);
        Assert.True(x.Zip(x.Skip(1)).All(p => p.First < p.Second), "timestamps stay in order");
    }

    [Fact]
    public void AllGapBucketStaysAGap()
    {
        var values = Enumerable.Repeat(1.0, 400).ToArray();
        for (var i = 100; i < 200; i++)
        {
            values[i] = double.NaN;
        }
        var (_, y) = Downsampler.MinMax(Times(values.Length), values, 20);
        Assert.Contains(y, double.IsNaN);
    }
}
