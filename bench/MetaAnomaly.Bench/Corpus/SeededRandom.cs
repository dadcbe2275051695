namespace MetaAnomaly.Bench.Corpus;

/// <summary>The draws the corpus generator makes, all from one seeded <see cref="Random"/>.</summary>
internal static class SeededRandom
{
    public static double Uniform(this Random random, double low, double high) => low + (high - low) * random.NextDouble();

    /// <summary>A standard normal draw (Box-Muller).</summary>
    public static double Gaussian(this Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());

    /// <summary>+1 or -1 with equal odds.</summary>
    public static int Sign(this Random random) => random.Next(2) == 0 ? 1 : -1;

    /// <summary>A Poisson draw (Knuth's product of uniforms below 30, a rounded normal above).</summary>
    public static int Poisson(this Random random, double mean)
    {
        if (mean <= 0)
        {
            return 0;
        }
        if (mean > 30)
        {
            return Math.Max(0, (int)Math.Round(mean + Math.Sqrt(mean) * random.Gaussian()));
        }
        var limit = Math.Exp(-mean);
        var count = 0;
        for (var product = random.NextDouble(); product > limit; product *= random.NextDouble())
        {
            count++;
        }
        return count;
    }

    /// <summary>A Pareto draw with scale 1 and tail index <paramref name="alpha"/> (heavy-tailed for small alpha).</summary>
    public static double Pareto(this Random random, double alpha) => Math.Pow(1 - random.NextDouble(), -1 / alpha);

    public static T[] Shuffled<T>(this Random random, IEnumerable<T> items)
    {
        var array = items.ToArray();
        random.Shuffle(array);
        return array;
    }
}
