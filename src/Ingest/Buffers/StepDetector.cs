namespace MetaAnomaly.Ingest.Buffers;

/// <summary>The regular step of a series: the median of the positive spacings between its distinct timestamps.</summary>
internal static class StepDetector
{
    /// <summary>Null when fewer than two distinct timestamps are given.</summary>
    public static long? MedianSpacingTicks(IEnumerable<long> timestampTicks) => Spacings(timestampTicks) is { Length: > 0 } spacings
        ? spacings[spacings.Length / 2]
        : null;

    /// <summary>
    /// The median spacing once the spacings agree: the smallest is more than two thirds of the median (regular points
    /// with jitter agree). The first points of a series that arrive out of order leave wide gaps between them, and
    /// their median is then a multiple of the real step; more points are needed. Null while they disagree, unless
    /// <paramref name="settle"/>.
    /// </summary>
    public static long? AgreedSpacingTicks(IEnumerable<long> timestampTicks, bool settle)
    {
        if (Spacings(timestampTicks) is not { Length: > 0 } spacings)
        {
            return null;
        }
        var median = spacings[spacings.Length / 2];
        return settle || spacings[0] * 3 > median * 2 ? median : null;
    }

    /// <summary>The positive spacings between the distinct timestamps, sorted.</summary>
    private static long[]? Spacings(IEnumerable<long> timestampTicks)
    {
        var sorted = timestampTicks.Distinct().Order().ToArray();
        if (sorted.Length < 2)
        {
            return null;
        }
        var spacings = new long[sorted.Length - 1];
        for (var i = 1; i < sorted.Length; i++)
        {
            spacings[i - 1] = sorted[i] - sorted[i - 1];
        }
        Array.Sort(spacings);
        return spacings;
    }
}
