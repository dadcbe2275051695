namespace MetaAnomaly.Shared.Series;

/// <summary>
/// A regular stretch of one series: value i belongs to <c>Start + i * Step</c>. A gap (no point arrived for that slot)
/// is <see cref="double.NaN"/>: gaps are marked, never invented.
/// </summary>
public sealed record SeriesWindow(SeriesKey Key, DateTimeOffset Start, TimeSpan Step, double[] Values)
{
    public int Count => Values.Length;

    /// <summary>Timestamp of the last slot, or <see cref="Start"/> minus one step when empty.</summary>
    public DateTimeOffset End => Start + Step * (Values.Length - 1);

    public DateTimeOffset TimestampAt(int index) => Start + Step * index;

    public int GapCount => Values.Count(double.IsNaN);

    /// <summary>The last <paramref name="count"/> slots (fewer when the window is shorter).</summary>
    public SeriesWindow TakeLast(int count)
    {
        var skip = Math.Max(0, Values.Length - count);
        return this with { Start = TimestampAt(skip), Values = Values[skip..] };
    }
}
