using MetaAnomaly.Shared.Forecasts;
using MetaAnomaly.Shared.Series;

namespace MetaAnomaly.Detection.Tests.Support;

/// <summary>
/// An honest, simple forecaster for tests: the median of the values one, two and three periods ago (the last value
/// when the history is shorter than a period), with the MAD of the history's seasonal differences as its residual
/// scale. Series without a model in
/// <see cref="Models"/> get <see cref="SeriesModelStatus.Failed"/>. Counts its calls to check micro-batching.
/// </summary>
public sealed class SeasonalMedianForecaster(int period) : IOneStepForecaster
{
    public HashSet<SeriesKey> Models { get; } = [];

    public List<int> BatchSizes { get; } = [];

    /// <summary>What <see cref="StateOf"/> reports as the history a forecast reads.</summary>
    public int HistoryNeeded { get; set; }

    public List<int> HistoryLengths { get; } = [];

    /// <summary>Series whose state says they are served in cold start.</summary>
    public HashSet<SeriesKey> InColdStart { get; } = [];

    public const string ColdStartDescription = "cold start: scored from the seasonal median, period not known yet";

    public IReadOnlyList<OneStepForecast> ForecastNext(IReadOnlyList<OneStepRequest> requests)
    {
        BatchSizes.Add(requests.Count);
        HistoryLengths.AddRange(requests.Select(r => r.History.Count));
        return requests.Select(Forecast).ToArray();
    }

    public SeriesModelState StateOf(SeriesKey key) => Models.Contains(key)
        ? new SeriesModelState(key, SeriesModelStatus.Adapted, "c1", period, "seasonal-median", DateTimeOffset.UnixEpoch, 1, null)
        {
            HistoryNeeded = HistoryNeeded,
            Stage = InColdStart.Contains(key) ? ServingStage.ColdStart : ServingStage.Cluster,
            StageDescription = InColdStart.Contains(key) ? ColdStartDescription : "cluster c1",
        }
        : new SeriesModelState(key, SeriesModelStatus.Failed, null, null, null, null, double.NaN, "Model missing for this series.");

    private OneStepForecast Forecast(OneStepRequest request)
    {
        if (!Models.Contains(request.Key))
        {
            return OneStepForecast.Unavailable(request.Key, "Model missing for this series.");
        }
        var values = request.History.Values;
        var lag = values.Length >= period ? period : 1;
        var forecast = lag == 1 ? values[^1] : Median(Enumerable.Range(1, 3).Where(k => k * period <= values.Length).Select(k => values[^(k * period)]).ToArray());
        var differences = Enumerable.Range(lag, Math.Max(0, values.Length - lag)).Select(i => values[i] - values[i - lag])
            .Where(double.IsFinite).Order().ToArray();
        var scale = 1.0;
        if (differences.Length > 4)
        {
            var median = differences[differences.Length / 2];
            var deviations = differences.Select(d => Math.Abs(d - median)).Order().ToArray();
            scale = Math.Max(1.4826 * deviations[deviations.Length / 2], 1e-6);
        }
        return double.IsFinite(forecast)
            ? new OneStepForecast(request.Key, true, forecast, scale, null)
            : OneStepForecast.Unavailable(request.Key, "The history ends in a gap.");
    }

    private static double Median(double[] values)
    {
        Array.Sort(values);
        return values.Length % 2 == 1 ? values[values.Length / 2] : 0.5 * (values[values.Length / 2 - 1] + values[values.Length / 2]);
    }
}
