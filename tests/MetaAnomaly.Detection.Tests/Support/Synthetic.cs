using MetaAnomaly.Shared.Series;

namespace MetaAnomaly.Detection.Tests.Support;

public static class Synthetic
{
    public static readonly DateTimeOffset Start = new(2024, 1, 1, 0, 0, 0, TimeSpan.Zero);
    public static readonly TimeSpan Step = TimeSpan.FromMinutes(5);

    public static SeriesKey Key(string host = "a") => new("cpu", [new("host", host)], "usage");

    /// <summary>A daily-like sine (period 24) with seeded Gaussian noise of standard deviation 1.</summary>
    public static double[] Seasonal(int count, int seed, int period = 24)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, count).Select(i => 50 + 20 * Math.Sin(2 * Math.PI * i / period) + Gaussian(random)).ToArray();
    }

    private static double Gaussian(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
}
