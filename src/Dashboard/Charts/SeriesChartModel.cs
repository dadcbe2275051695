namespace MetaAnomaly.Dashboard.Charts;

/// <summary>One line of a chart (NaN = gap).</summary>
public sealed record ChartLine(DateTimeOffset[] X, double[] Y)
{
    public static ChartLine Empty { get; } = new([], []);

    public bool IsEmpty => X.Length == 0;
}

/// <summary>An anomaly drawn on the chart at its peak.</summary>
public sealed record ChartMarker(long EventId, DateTimeOffset At, double Value, string Label);

/// <summary>An occurrence of a maintenance window over the chart's range, shaded: events in it were not sent.</summary>
public sealed record MutedSpan(DateTimeOffset From, DateTimeOffset To, string Window);

/// <summary>A point the detector scored outside the normal band but did not alert on, with why (the detector's reason).</summary>
public sealed record ExcusedMarker(DateTimeOffset At, double Value, string Why);

/// <summary>
/// What a series chart shows over a range: the actual values, the one-step forecasts that scored them with their
/// normal band, the latest forecast ahead of the data, the anomaly markers and the points scored outside the band that
/// raised no alert (<see cref="Excused"/>, at most <see cref="SeriesChartBuilder.MaxExcusedMarkers"/>, the largest kept),
/// and the maintenance windows over the range.
/// </summary>
public sealed record SeriesChartModel(
    string SeriesKey,
    DateTimeOffset From,
    DateTimeOffset To,
    ChartLine Actual,
    ChartLine Forecast,
    ChartLine BandLower,
    ChartLine BandUpper,
    ChartLine ForecastAhead,
    IReadOnlyList<ChartMarker> Markers,
    IReadOnlyList<ExcusedMarker> Excused,
    IReadOnlyList<MutedSpan> Muted,
    int RawPoints,
    bool Downsampled)
{
    public bool HasData => !Actual.IsEmpty;
}
