using System.Collections.Concurrent;
using MetaAnomaly.Detection.Sinks;
using MetaAnomaly.Shared.Series;

namespace MetaAnomaly.Bench.Replay;

/// <summary>
/// A detection sink that compares, for each series and UTC day, the served one-step forecast's mean absolute error with
/// its anchor's over the live points (priming excluded; points without a finite forecast or anchor skipped): whether the
/// adapted model beats its anchor on file-days (issue 26). A day the series served its anchor is a tie.
/// </summary>
public sealed class ForecastAgainstAnchor : IDetectionSink
{
    private const double TieTolerance = 1e-9;

    private readonly ConcurrentDictionary<(SeriesKey Key, DateOnly Day), (double Forecast, double Anchor)> _errors = new();

    public Task HandleAsync(ScoringTick tick, CancellationToken cancellationToken)
    {
        foreach (var input in tick.Inputs)
        {
            var forecastError = Math.Abs(input.Value - input.Forecast.Value);
            var anchorError = Math.Abs(input.Value - input.Forecast.Anchor);
            if (input.Priming || !input.Forecast.Available || !double.IsFinite(forecastError + anchorError))
            {
                continue;
            }
            _errors.AddOrUpdate((input.Key, DateOnly.FromDateTime(input.Timestamp.UtcDateTime)), (forecastError, anchorError),
                (_, sums) => (sums.Forecast + forecastError, sums.Anchor + anchorError));
        }
        return Task.CompletedTask;
    }

    /// <summary>The days of <paramref name="keys"/> on which the forecast was better than, equal to and worse than its anchor.</summary>
    public FileDayTally Tally(IEnumerable<SeriesKey> keys)
    {
        var wanted = keys.ToHashSet();
        var (better, tied, worse) = (0, 0, 0);
        foreach (var ((key, _), (forecast, anchor)) in _errors)
        {
            if (!wanted.Contains(key))
            {
                continue;
            }
            if (Math.Abs(forecast - anchor) <= TieTolerance * Math.Max(forecast, anchor))
            {
                tied++;
            }
            else if (forecast < anchor)
            {
                better++;
            }
            else
            {
                worse++;
            }
        }
        return new FileDayTally(better, tied, worse);
    }
}

/// <summary>File-days on which the served forecast beat its anchor, tied with it (the anchor served) or lost to it.</summary>
public readonly record struct FileDayTally(int Better, int Tied, int Worse)
{
    public int Days => Better + Tied + Worse;

    public double BetterShare => Days == 0 ? double.NaN : (double)Better / Days;

    public override string ToString() =>
        $"the served one-step forecast beat its anchor on {Better} of {Days} file-days ({100 * BetterShare:F1} %), served the anchor on {Tied}, lost to it on {Worse}";
}
