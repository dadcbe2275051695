using MetaAnomaly.Shared.Forecasts;
using MetaAnomaly.Shared.Series;

namespace MetaAnomaly.Detection.Scoring;

/// <summary>
/// One point as the scoring cycle hands it to the <see cref="AnomalyDetector"/>: the value, the forecast served for
/// it, the series' cluster and whether it primes the detector on stored history. The detector's output is a function
/// of these inputs (in order, per series) and the clock, so a recording of them replays detection exactly.
/// </summary>
public sealed record DetectorInput(SeriesKey Key, DateTimeOffset Timestamp, double Value, OneStepForecast Forecast, string? ClusterId, bool Priming);
