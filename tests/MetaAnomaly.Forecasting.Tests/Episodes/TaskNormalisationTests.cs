using MetaAnomaly.Forecasting.Episodes;

namespace MetaAnomaly.Forecasting.Tests.Episodes;

public sealed class TaskNormalisationTests
{
    [Theory]
    [InlineData(48, 0.0)]
    [InlineData(48, 0.2)]
    [InlineData(47, 0.1)]
    [InlineData(1000, 0.05)]
    public void FromObservedEqualsTheDefinitionExactly(int length, double gapShare)
    {
        var random = new Random(length);
        for (var trial = 0; trial < 200; trial++)
        {
            var values = new double[length];
            var level = 1000 * random.NextDouble();
            for (var i = 0; i < length; i++)
            {
                values[i] = random.NextDouble() < gapShare ? double.NaN
                    : trial % 5 == 0 && i % 4 != 0 ? level
                    : level + 10 * random.NextDouble();
            }

            Assert.Equal(Reference(values), TaskNormalisation.FromObserved(values));
        }
    }

    [Fact]
    public void NoObservedValueGivesIdentity() =>
        Assert.Equal(TaskNormalisation.Identity, TaskNormalisation.FromObserved([double.NaN, double.PositiveInfinity]));

    /// <summary>The definition in the class's remarks, written with lists and LINQ.</summary>
    private static TaskNormalisation Reference(double[] values)
    {
        var observed = values.Where(double.IsFinite).ToList();
        var mean = observed.Average();
        var median = Median(observed.Order().ToList());
        var mad = Median(observed.Select(v => Math.Abs(v - median)).Order().ToList()) * 1.4826;
        var tolerance = 1e-9 * Math.Max(1.0, Math.Abs(mean));
        if (mad > tolerance)
        {
            return new TaskNormalisation(mean, mad);
        }
        var std = Math.Sqrt(observed.Order().Sum(v => (v - mean) * (v - mean)) / observed.Count);
        return new TaskNormalisation(mean, std > tolerance ? std : 1.0);
    }

    private static double Median(List<double> sorted) =>
        sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : 0.5 * (sorted[sorted.Count / 2 - 1] + sorted[sorted.Count / 2]);
}
