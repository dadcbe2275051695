using System.Globalization;
using MetaAnomaly.Forecasting.Periods;
using MetaAnomaly.Testing;

namespace MetaAnomaly.Forecasting.Tests.Periods;

public sealed class PeriodDetectorTests
{
    private readonly PeriodDetector _detector = new();

    [Theory]
    [InlineData(24, 0.1)]
    [InlineData(48, 0.3)]
    [InlineData(288, 0.2)]
    [InlineData(7, 0.2)]
    public void FindsThePeriodOfANoisySeasonalSeries(int period, double noise)
    {
        var values = Seasonal(period, 12 * period, noise, seed: period);
        Assert.Equal(period, _detector.Detect(values, TimeSpan.FromMinutes(5)).Period);
    }

    [Fact]
    public void FindsThePeriodDespiteTrendGapsAndALevelShift()
    {
        var values = Seasonal(24, 24 * 20, 0.2, seed: 3);
        for (var i = 0; i < values.Length; i++)
        {
            values[i] += 0.01 * i + (i > 250 ? 3 : 0);
            if (i % 17 == 0 || (i > 100 && i < 130))
            {
                values[i] = double.NaN;
            }
        }
        Assert.Equal(24, _detector.Detect(values).Period);
    }

    [Fact]
    public void PrefersThePeriodOverItsMultiples()
    {
        var values = Seasonal(12, 12 * 30, 0.05, seed: 4);
        var estimate = _detector.Detect(values);
        Assert.Equal(12, estimate.Period);
        Assert.True(estimate.Strength > 0.8);
    }

    [Fact]
    public void WhiteNoiseIsAperiodic()
    {
        var random = new Random(5);
        var values = Enumerable.Range(0, 1000).Select(_ => SyntheticTasks.NextGaussian(random)).ToArray();
        var estimate = _detector.Detect(values);
        Assert.False(estimate.IsPeriodic, $"found period {estimate.Period} with strength {estimate.Strength}");
    }

    [Fact]
    public void RandomWalkIsAperiodic()
    {
        var random = new Random(6);
        var level = 0.0;
        var values = Enumerable.Range(0, 1000).Select(_ => level += SyntheticTasks.NextGaussian(random)).ToArray();
        Assert.False(_detector.Detect(values).IsPeriodic);
    }

    [Fact]
    public void ConstantAndShortSeriesAreAperiodicWithAReason()
    {
        var constant = _detector.Detect(Enumerable.Repeat(5.0, 500).ToArray());
        var shorter = _detector.Detect([1, 2, 3]);
        Assert.False(constant.IsPeriodic);
        Assert.False(shorter.IsPeriodic);
        Assert.NotNull(constant.Reason);
        Assert.NotNull(shorter.Reason);
    }

    [Fact]
    public void TooFewPeriodsIsAperiodic()
    {
        var values = Seasonal(200, 300, 0.01, seed: 7);
        Assert.False(_detector.Detect(values).IsPeriodic);
    }

    /// <summary>Checked by eye on plots of the files; pinned so that changes to the detector are deliberate.</summary>
    [Theory]
    [InlineData("artificialNoAnomaly/art_daily_small_noise.csv", 288)]
    [InlineData("artificialNoAnomaly/art_daily_perfect_square_wave.csv", 288)]
    [InlineData("artificialWithAnomaly/art_daily_jumpsup.csv", 288)]
    [InlineData("artificialNoAnomaly/art_flatline.csv", 0)]
    [InlineData("artificialNoAnomaly/art_noisy.csv", 0)]
    [InlineData("realTraffic/speed_7578.csv", 0)]
    [InlineData("realAWSCloudwatch/ec2_cpu_utilization_24ae8d.csv", 0)]
    [InlineData("realAWSCloudwatch/ec2_cpu_utilization_53ea38.csv", 288)]
    [InlineData("realAWSCloudwatch/rds_cpu_utilization_cc0c53.csv", 288)]
    [InlineData("realAWSCloudwatch/ec2_network_in_257a54.csv", 12)]
    public void NabFilesHaveTheirPinnedPeriods(string file, int period)
    {
        var values = File.ReadLines(Path.Combine(TestEnvironment.SharedData, "nab", file))
            .Skip(1)
            .Select(line => double.Parse(line.Split(',')[1], CultureInfo.InvariantCulture))
            .ToArray();
        Assert.Equal(period, _detector.Detect(values, TimeSpan.FromMinutes(5)).Period);
    }

    private static double[] Seasonal(int period, int length, double noise, int seed)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, length)
            .Select(i => Math.Sin(2 * Math.PI * i / period) + 0.5 * Math.Sin(4 * Math.PI * i / period + 1) + noise * SyntheticTasks.NextGaussian(random))
            .ToArray();
    }
}
