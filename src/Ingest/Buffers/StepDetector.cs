namespace MetaAnomaly.Ingest.Buffers;

/// <summary>The regular step of a series: the median of the positive spacings between its distinct timestamps.</summary>
internal static class StepDetector
{
    /// <summary>Null when fewer than two distinct timestamps are given.</summary>
    public static long? MedianSpacingTicks(IEnumerable<long> timestampTicks)
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
        return spacings[spacings.Length / 2];
    }
}
