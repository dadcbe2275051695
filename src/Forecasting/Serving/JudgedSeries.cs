using MetaAnomaly.Forecasting.Episodes;

namespace MetaAnomaly.Forecasting.Serving;

/// <summary>
/// One series to judge: its task in the adapted batch, its latest values, the index of the first value that arrived
/// after the adaptation, and the normalisation the model was adapted in.
/// </summary>
public readonly record struct JudgedSeries(int Task, SeriesSegment Segment, int From, TaskNormalisation Normalisation);
