namespace MetaAnomaly.Forecasting.Episodes;

/// <summary>
/// Regular values of one series (NaN for gaps or masked slots), with the absolute slot index of the first value so
/// that the phase within the period is the same whichever window is cut from the series.
/// </summary>
public sealed record SeriesSegment(double[] Values, long PhaseOrigin)
{
    public int Count => Values.Length;

    /// <summary>Slot index from a timestamp: whole steps since the Unix epoch.</summary>
    public static long SlotIndex(DateTimeOffset timestamp, TimeSpan step) =>
        (long)Math.Floor((timestamp - DateTimeOffset.UnixEpoch).Ticks / (double)step.Ticks);
}
