using MetaAnomaly.Shared.Series;

namespace MetaAnomaly.Shared.Forecasts;

/// <summary>
/// Serving side of the forecasting core, as the detector sees it: one-step-ahead forecasts from each series'
/// adapted model, many series in one call (one batched forward pass per cluster), no tensors.
/// </summary>
public interface IOneStepForecaster
{
    /// <summary>
    /// For each request, the forecast of the value at <see cref="OneStepRequest.Target"/> from the history that ends
    /// one step before it. Results are in request order.
    /// </summary>
    IReadOnlyList<OneStepForecast> ForecastNext(IReadOnlyList<OneStepRequest> requests);

    /// <summary>The serving state of one series: whether it has an adapted model and, when not, why.</summary>
    SeriesModelState StateOf(SeriesKey key);
}

/// <param name="History">The regular slots before <paramref name="Target"/>, most recent last (NaN for gaps).</param>
public sealed record OneStepRequest(SeriesKey Key, SeriesWindow History, DateTimeOffset Target);

/// <param name="Value">The forecast, in the series' own units.</param>
/// <param name="ResidualScale">Robust (MAD-based) scale of the adaptation residuals, in the series' units.</param>
/// <param name="Reason">When <paramref name="Available"/> is false: why no forecast was made.</param>
public sealed record OneStepForecast(SeriesKey Key, bool Available, double Value, double ResidualScale, string? Reason)
{
    /// <summary>
    /// The forecast without the model's learned correction: its anchor (the value one period earlier, the day and the
    /// week blended, or the previous value), or the level the model corrects; NaN when unknown. It has not seen the
    /// points it forecasts, so it is an out-of-sample forecast even of the points the model was adapted on.
    /// </summary>
    public double Anchor { get; init; } = double.NaN;

    public static OneStepForecast Unavailable(SeriesKey key, string reason) => new(key, false, double.NaN, double.NaN, reason);
}
