using MetaAnomaly.Shared.Series;

namespace MetaAnomaly.Forecasting.ReadModel;

/// <summary>
/// The next-horizon forecast made at adaptation time (the one-step model rolled forward), for the dashboard's chart:
/// value i is for <c>Start + i * Step</c>.
/// </summary>
/// <param name="ResidualScale">Robust scale of the one-step residuals on the support window, in the series' units.</param>
public sealed record SeriesForecast(SeriesKey Key, DateTimeOffset Start, TimeSpan Step, IReadOnlyList<double> Values, double ResidualScale, DateTimeOffset MadeAt);
