using MetaAnomaly.Detection.Scoring;
using MetaAnomaly.Shared.Series;

namespace MetaAnomaly.Dashboard.Tests.Support;

/// <summary>
/// A seeded one-minute series as the scoring cycle stores it (value, the forecast that scored it, the scale): normal
/// noise around a daily wave, with three spikes in its last day, at forecasts far enough apart that the deviation memory
/// does not excuse one by another: one that only High sensitivity alerts on, one that Medium does too, one that Low does.
/// </summary>
public static class StoredScores
{
    /// <summary>Two days before today (UTC): the host prunes scores older than Detection:ScoreRetention by the wall clock.</summary>
    public static readonly DateTimeOffset Start = new(DateTime.UtcNow.Date.AddDays(-2), TimeSpan.Zero);
    public const int Points = 2 * 1440;

    /// <summary>The spikes: minute of the last day and size in noise standard deviations (signed).</summary>
    public static readonly (int Minute, double Size)[] Spikes = [(300, 3.9), (780, -4.0), (1020, 8)];

    public static DateTimeOffset End => Start.AddMinutes(Points - 1);

    public static IReadOnlyList<(SeriesKey, ScoredPoint)> For(SeriesKey key, int seed = 7)
    {
        var random = new Random(seed);
        var points = new List<(SeriesKey, ScoredPoint)>(Points);
        for (var i = 0; i < Points; i++)
        {
            var forecast = 100 + 40 * Math.Sin(2 * Math.PI * i / 1440);
            var noise = Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
            var spike = Spikes.FirstOrDefault(s => s.Minute == i - 1440).Size;
            var value = forecast + noise + spike;
            points.Add((key, new ScoredPoint(Start.AddMinutes(i), value, forecast, 1, value - forecast, 0.5, 0, true, false, null, double.NaN)));
        }
        return points;
    }

    /// <summary>The same points as InfluxDB line protocol (seconds), for the buffers the chart draws from.</summary>
    public static string LineProtocol(IReadOnlyList<(SeriesKey, ScoredPoint)> points, string measurementAndTags, string field) =>
        string.Join('\n', points.Select(p => FormattableString.Invariant($"{measurementAndTags} {field}={p.Item2.Value} {p.Item2.Timestamp.ToUnixTimeSeconds()}"))) + "\n";
}
