namespace MetaAnomaly.Bench.Corpus;

/// <summary>
/// Seeded processes for the shapes operators have that the real sources lack. Each is normal behaviour only; the
/// anomalies are injected afterwards like on any other series.
/// </summary>
internal static class SyntheticFamilies
{
    private static readonly DateTime Start = new(2025, 3, 3);

    /// <summary>Every family, <paramref name="perFamily"/> series each.</summary>
    public static IEnumerable<CorpusSeries> All(int perFamily, Random random)
    {
        for (var i = 1; i <= perFamily; i++)
        {
            yield return BurstyCounts($"bursty_counts_{i}", random);
            yield return BusinessHourly($"business_hourly_{i}", random);
            yield return MachineTemperature($"machine_temperature_{i}", random);
            yield return SparseIrregular($"sparse_irregular_{i}", random);
        }
    }

    /// <summary>
    /// Event or request counts every 10 minutes for 14 days: Poisson around a daily profile that is nearly zero at
    /// night, with heavy-tailed (Pareto, tail index 1.5) bursts on about 2 % of the points.
    /// </summary>
    public static CorpusSeries BurstyCounts(string name, Random random)
    {
        var peak = random.Uniform(3, 40);
        var timestamps = Regular(TimeSpan.FromMinutes(10), 14 * 144);
        var values = timestamps.Select(t =>
        {
            var hour = t.TimeOfDay.TotalHours;
            var daytime = hour is >= 7 and <= 23 ? Math.Sin(Math.PI * (hour - 7) / 16) : 0;
            var rate = peak * (0.01 + daytime);
            var burst = random.NextDouble() < 0.02 ? rate * random.Pareto(1.5) : 0;
            return (double)random.Poisson(rate + burst);
        }).ToArray();
        return new CorpusSeries(name, "bursty-counts", timestamps, values);
    }

    /// <summary>
    /// An hourly business metric for 60 days: office-hours peak, weekends at 40 %, 10 to 30 % growth over the file,
    /// 5 % multiplicative noise.
    /// </summary>
    public static CorpusSeries BusinessHourly(string name, Random random)
    {
        var level = random.Uniform(100, 1000);
        var growth = random.Uniform(0.1, 0.3);
        var timestamps = Regular(TimeSpan.FromHours(1), 60 * 24);
        var values = timestamps.Select((t, i) =>
        {
            var hour = t.TimeOfDay.TotalHours;
            var daily = 0.3 + Math.Exp(-0.5 * Math.Pow((hour - 13) / 3.5, 2));
            var weekly = t.DayOfWeek is DayOfWeek.Saturday or DayOfWeek.Sunday ? 0.4 : 1;
            var trend = 1 + growth * i / timestamps.Length;
            return Math.Round(level * daily * weekly * trend * (1 + 0.05 * random.Gaussian()), 2);
        }).ToArray();
        return new CorpusSeries(name, "business-hourly", timestamps, values);
    }

    /// <summary>
    /// A machine temperature every 10 minutes for 14 days: an operating level, a daily cycle of 2 to 6 degrees and
    /// AR(1) noise (0.9). Its trend change is a drift of days that ends the file, a failure (<see cref="AnomalyInjector"/>).
    /// </summary>
    public static CorpusSeries MachineTemperature(string name, Random random)
    {
        var level = random.Uniform(45, 80);
        var cycle = random.Uniform(2, 6);
        var noise = 0.0;
        var timestamps = Regular(TimeSpan.FromMinutes(10), 14 * 144);
        var values = timestamps.Select(t =>
        {
            noise = 0.9 * noise + 0.3 * random.Gaussian();
            return Math.Round(level + cycle * Math.Sin(2 * Math.PI * (t.TimeOfDay.TotalHours - 9) / 24) + noise, 3);
        }).ToArray();
        return new CorpusSeries(name, "machine-temperature", timestamps, values);
    }

    /// <summary>
    /// 1,500 points of a sparse metric, each 5 to 60 minutes (uniform) after the one before: a level, a daily cycle of
    /// up to 10 and normal noise.
    /// </summary>
    public static CorpusSeries SparseIrregular(string name, Random random)
    {
        var level = random.Uniform(20, 200);
        var cycle = random.Uniform(0, 10);
        var noise = random.Uniform(0.5, 3);
        var timestamps = new DateTime[1500];
        timestamps[0] = Start;
        for (var i = 1; i < timestamps.Length; i++)
        {
            timestamps[i] = timestamps[i - 1].AddMinutes(random.Next(5, 61));
        }
        var values = timestamps.Select(t =>
            Math.Round(level + cycle * Math.Sin(2 * Math.PI * t.TimeOfDay.TotalHours / 24) + noise * random.Gaussian(), 3)).ToArray();
        return new CorpusSeries(name, "sparse-irregular", timestamps, values);
    }

    private static DateTime[] Regular(TimeSpan spacing, int count) =>
        Enumerable.Range(0, count).Select(i => Start + i * spacing).ToArray();
}
