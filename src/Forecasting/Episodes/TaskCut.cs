namespace MetaAnomaly.Forecasting.Episodes;

/// <summary>One task cut from a series: support targets start at <see cref="SupportStart"/> (an index into the segment).</summary>
public readonly record struct TaskCut(SeriesSegment Segment, int SupportStart);
