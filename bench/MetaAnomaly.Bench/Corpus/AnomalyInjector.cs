using System.Globalization;
using MetaAnomaly.Shared.Statistics;

namespace MetaAnomaly.Bench.Corpus;

/// <summary>
/// Injects one anomaly of a kind into a series, sized in the series' own robust noise scale s
/// (<see cref="CorpusSeries.Scale"/>). Sizes: a global spike or dip 4 to 8 s beyond the series' maximum or minimum;
/// a contextual spike is the value 12 hours earlier when that differs by at least 4 s; level shifts 5 to 10 s
/// (transient ones for 2 to 24 hours); a variance burst adds normal noise of 3 to 6 s for 6 to 24 hours; a flatline
/// holds one value for 6 to 24 hours (at least 12 points); a trend change ramps 6 to 12 s over 1 to 3 days and stays
/// (on machine temperatures: upwards over 2 to 4 days, and the file ends there, at the failure); a seasonality break
/// shifts one day's pattern by half a day or removes it. Series that stay at or above zero stay so.
/// </summary>
internal static class AnomalyInjector
{
    private const int Tries = 500;
    private const double MinDailyAmplitude = 6;
    private const double MinContextualJump = 4;
    private const double MaxRepeatedFraction = 0.2;

    /// <summary>Whether the kind is an anomaly on this series at all: a time-of-day anomaly needs a daily pattern, a
    /// flatline a series that does not already sit still.</summary>
    public static bool Fits(AnomalyKind kind, CorpusSeries series) => kind switch
    {
        AnomalyKind.ContextualSpike or AnomalyKind.SeasonalityBreak => DailyAmplitude(series) >= MinDailyAmplitude,
        AnomalyKind.Flatline => RepeatedFraction(series) <= MaxRepeatedFraction,
        _ => true,
    };

    /// <summary>Whether the file ends with this anomaly (so it is the series' only one).</summary>
    public static bool EndsFile(AnomalyKind kind, CorpusSeries series) =>
        kind == AnomalyKind.TrendChange && series.Family == "machine-temperature";

    /// <summary>Injects one anomaly with its onset in rows [<paramref name="from"/>, <paramref name="to"/>] and all
    /// its rows before <paramref name="to"/>; null when none fits there.</summary>
    public static Injection? Inject(CorpusSeries series, AnomalyKind kind, int from, int to, Random random) => kind switch
    {
        AnomalyKind.GlobalSpike => GlobalSpike(series, from, to, random),
        AnomalyKind.ContextualSpike => ContextualSpike(series, from, to, random),
        AnomalyKind.LevelShift => Shift(series, kind, from, to, series.Count - from, random),
        AnomalyKind.TransientLevelShift => Shift(series, kind, from, to, Math.Max(3, Rows(series, TimeSpan.FromHours(random.Uniform(2, 24)))), random),
        AnomalyKind.VarianceBurst => VarianceBurst(series, from, to, random),
        AnomalyKind.Flatline => Flatline(series, from, to, random),
        AnomalyKind.TrendChange => TrendChange(series, from, to, random),
        AnomalyKind.SeasonalityBreak => SeasonalityBreak(series, from, to, random),
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };

    private static Injection? GlobalSpike(CorpusSeries series, int from, int to, Random random)
    {
        var size = random.Uniform(4, 8);
        var up = random.Sign() > 0 || (series.NonNegative && series.Min - size * series.Scale < 0);
        var onset = random.Next(from, to + 1);
        series.Values[onset] = up ? series.Max + size * series.Scale : series.Min - size * series.Scale;
        return Made(series, AnomalyKind.GlobalSpike, onset, onset, $"{(up ? "spike" : "dip")} {size:F1} s beyond the series' {(up ? "maximum" : "minimum")}");
    }

    private static Injection? ContextualSpike(CorpusSeries series, int from, int to, Random random)
    {
        for (var attempt = 0; attempt < Tries; attempt++)
        {
            var onset = random.Next(from, to + 1);
            var earlier = series.Values[series.RowAtOrBefore(series.Timestamps[onset].AddHours(-12))];
            var jump = (earlier - series.Values[onset]) / series.Scale;
            if (Math.Abs(jump) >= MinContextualJump)
            {
                series.Values[onset] = earlier;
                return Made(series, AnomalyKind.ContextualSpike, onset, onset, $"the value of 12 hours earlier, {jump:F1} s from the point's own");
            }
        }
        return null;
    }

    private static Injection? Shift(CorpusSeries series, AnomalyKind kind, int from, int to, int rows, Random random)
    {
        if (to - rows + 1 < from && kind == AnomalyKind.TransientLevelShift)
        {
            return null;
        }
        var onset = random.Next(from, kind == AnomalyKind.TransientLevelShift ? to - rows + 2 : to + 1);
        var last = Math.Min(onset + rows, series.Count) - 1;
        var size = random.Uniform(5, 10);
        var sign = Direction(series, onset, last, size * series.Scale, random);
        for (var i = onset; i <= last; i++)
        {
            series.Values[i] += sign * size * series.Scale;
        }
        var span = kind == AnomalyKind.LevelShift ? "to the end" : $"for {Hours(series, onset, last)}";
        return Made(series, kind, onset, last, $"{(sign > 0 ? "up" : "down")} {size:F1} s {span}");
    }

    private static Injection? VarianceBurst(CorpusSeries series, int from, int to, Random random)
    {
        var rows = Math.Max(6, Rows(series, TimeSpan.FromHours(random.Uniform(6, 24))));
        if (to - rows + 1 < from)
        {
            return null;
        }
        var onset = random.Next(from, to - rows + 2);
        var size = random.Uniform(3, 6);
        for (var i = onset; i < onset + rows; i++)
        {
            var noisy = series.Values[i] + size * series.Scale * random.Gaussian();
            series.Values[i] = series.NonNegative ? Math.Max(0, noisy) : noisy;
        }
        return Made(series, AnomalyKind.VarianceBurst, onset, onset + rows - 1, $"noise of {size:F1} s for {Hours(series, onset, onset + rows - 1)}");
    }

    private static Injection? Flatline(CorpusSeries series, int from, int to, Random random)
    {
        var rows = Math.Max(12, Rows(series, TimeSpan.FromHours(random.Uniform(6, 24))));
        if (to - rows + 1 < from)
        {
            return null;
        }
        var onset = random.Next(from, to - rows + 2);
        Array.Fill(series.Values, series.Values[onset], onset + 1, rows - 1);
        return Made(series, AnomalyKind.Flatline, onset, onset + rows - 1, $"stuck at {series.Values[onset]:G6} for {Hours(series, onset, onset + rows - 1)} ({rows} points)");
    }

    private static Injection? TrendChange(CorpusSeries series, int from, int to, Random random)
    {
        var failure = EndsFile(AnomalyKind.TrendChange, series);
        var rows = Rows(series, TimeSpan.FromDays(failure ? random.Uniform(2, 4) : random.Uniform(1, 3)));
        var onset = failure ? Math.Min(to, series.Count - 1 - rows) : random.Next(from, to + 1);
        if (onset < from)
        {
            return null;
        }
        var size = random.Uniform(6, 12);
        var sign = failure ? 1 : Direction(series, onset, series.Count - 1, size * series.Scale, random);
        for (var i = onset; i < series.Count; i++)
        {
            series.Values[i] += sign * size * series.Scale * Math.Min(1.0, (i - onset) / (double)rows);
        }
        var last = Math.Min(onset + rows, series.Count - 1);
        var end = failure ? "; the file ends there (failure)" : ", then stays";
        return Made(series, AnomalyKind.TrendChange, onset, last, $"ramp {(sign > 0 ? "up" : "down")} {size:F1} s over {Hours(series, onset, last)}{end}", failure);
    }

    private static Injection? SeasonalityBreak(CorpusSeries series, int from, int to, Random random)
    {
        var rows = Rows(series, TimeSpan.FromDays(1));
        if (to - rows + 1 < from)
        {
            return null;
        }
        var onset = random.Next(from, to - rows + 2);
        var original = (double[])series.Values.Clone();
        var profile = DailyProfile(series);
        var level = profile.Where(double.IsFinite).Average();
        var shifted = random.Next(2) == 0;
        var change = 0.0;
        for (var i = onset; i < onset + rows; i++)
        {
            var time = series.Timestamps[i];
            var hour = profile[time.Hour];
            series.Values[i] = shifted
                ? original[series.RowAtOrBefore(time.AddHours(-12))]
                : original[i] - (double.IsFinite(hour) ? hour - level : 0);
            change += Math.Abs(series.Values[i] - original[i]);
        }
        var what = shifted ? "the day's pattern shifted by 12 hours" : "the day's pattern missing (level and noise kept)";
        return Made(series, AnomalyKind.SeasonalityBreak, onset, onset + rows - 1, $"{what}, {change / rows / series.Scale:F1} s mean change");
    }

    private static Injection Made(CorpusSeries series, AnomalyKind kind, int onset, int last, string description, bool endsFile = false) =>
        new(kind, series.Timestamps[onset], onset, last, series.Timestamps[last], description, endsFile);

    /// <summary>+1 or -1 at random, but up when down would take a series that stays at or above zero below it.</summary>
    private static int Direction(CorpusSeries series, int onset, int last, double size, Random random)
    {
        var sign = random.Sign();
        if (sign < 0 && series.NonNegative && series.Values.Skip(onset).Take(last - onset + 1).Min() - size < 0)
        {
            return 1;
        }
        return sign;
    }

    private static int Rows(CorpusSeries series, TimeSpan span)
    {
        var spacings = series.Timestamps.Skip(1).Zip(series.Timestamps, (later, earlier) => (later - earlier).TotalMinutes).Order().ToArray();
        return Math.Max(1, (int)Math.Round(span.TotalMinutes / spacings[spacings.Length / 2]));
    }

    private static string Hours(CorpusSeries series, int first, int last) =>
        string.Create(CultureInfo.InvariantCulture, $"{(series.Timestamps[last] - series.Timestamps[first]).TotalHours:F1} h");

    /// <summary>The median value at each hour of the day (NaN for an hour with no row).</summary>
    private static double[] DailyProfile(CorpusSeries series) =>
        Enumerable.Range(0, 24).Select(hour =>
        {
            var values = series.Timestamps.Select((t, i) => (t, i)).Where(x => x.t.Hour == hour).Select(x => series.Values[x.i]).ToArray();
            return values.Length == 0 ? double.NaN : RobustStatistics.Median(values);
        }).ToArray();

    /// <summary>The range of the daily profile in the series' scales.</summary>
    private static double DailyAmplitude(CorpusSeries series)
    {
        var profile = DailyProfile(series).Where(double.IsFinite).ToArray();
        return (profile.Max() - profile.Min()) / series.Scale;
    }

    private static double RepeatedFraction(CorpusSeries series) =>
        series.Values.Skip(1).Zip(series.Values, (later, earlier) => later == earlier).Count(same => same) / (double)Math.Max(1, series.Count - 1);
}
