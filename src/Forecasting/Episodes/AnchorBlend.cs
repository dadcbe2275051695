namespace MetaAnomaly.Forecasting.Episodes;

/// <summary>
/// A series' anchor as a blend of its short and long seasonal lags s and l (<see cref="EpisodeLayout.ShortAnchorLag"/>,
/// <see cref="EpisodeLayout.LongAnchorLag"/>: the day and the week of hourly data):
/// a(t) = (1 - <see cref="LongWeight"/>) x(t - s) + <see cref="LongWeight"/> x(t - l). The default (0) is the value one
/// short lag earlier, 1 the value one long lag earlier; the weight is chosen among 0, 1/4, 1/2, 3/4 and 1.
/// </summary>
/// <remarks>
/// Each series takes the candidate whose anchor forecast its latest history best (<see cref="Choose"/>): one seasonal
/// naive is noisy, and which seasonality carries a series, the day or the week, differs between series of one cluster.
/// A blend of observed values only: a term that extrapolated last week's change followed slow ramps and hid them from
/// the detector (nab-log.md, 2026-12-03).
/// </remarks>
public readonly record struct AnchorBlend(double LongWeight)
{
    /// <summary>The value one short lag earlier.</summary>
    public static AnchorBlend ShortLag => default;

    /// <summary>The long weight on a grid of quarters from 0 to 1, the short lag first.</summary>
    private static readonly AnchorBlend[] Candidates = [new(0), new(0.25), new(0.5), new(0.75), new(1)];

    public double ShortWeight => 1 - LongWeight;

    /// <summary>How many slots before a target its inputs read with this blend: the layout's reach, or the anchor's when
    /// the blend weighs the long lag.</summary>
    public int ReachIn(EpisodeLayout layout) => LongWeight != 0 ? layout.AnchorReach : layout.Reach;

    /// <summary>The anchor of the target at <paramref name="target"/>; NaN when a slot it weighs is outside
    /// <paramref name="values"/> or a gap.</summary>
    public double ValueAt(ReadOnlySpan<double> values, int target, EpisodeLayout layout)
    {
        var anchor = ShortWeight * At(values, target - layout.ShortAnchorLag);
        return LongWeight != 0 ? anchor + LongWeight * At(values, target - layout.LongAnchorLag) : anchor;
    }

    /// <summary>
    /// The candidate whose anchor forecast the latest <see cref="EpisodeLayout.AnchorChoiceSpan"/> targets before
    /// <paramref name="end"/> best (mean absolute error over the targets every candidate can forecast); the short lag
    /// when the layout has no long lag or fewer than one short lag of such targets exist.
    /// </summary>
    public static AnchorBlend Choose(ReadOnlySpan<double> values, int end, EpisodeLayout layout)
    {
        if (layout.LongAnchorLag == 0)
        {
            return ShortLag;
        }
        var first = Math.Max(end - layout.AnchorChoiceSpan, layout.AnchorReach);
        if (end - first < layout.ShortAnchorLag)
        {
            return ShortLag;
        }
        Span<double> errors = stackalloc double[Candidates.Length];
        for (var target = first; target < end; target++)
        {
            var actual = values[target];
            var shortLag = values[target - layout.ShortAnchorLag];
            var longLag = values[target - layout.LongAnchorLag];
            if (!double.IsFinite(actual + shortLag + longLag))
            {
                continue;
            }
            var fromShortLag = actual - shortLag;
            var longOverShort = longLag - shortLag;
            for (var c = 0; c < Candidates.Length; c++)
            {
                errors[c] += Math.Abs(fromShortLag - Candidates[c].LongWeight * longOverShort);
            }
        }
        var best = 0;
        for (var c = 1; c < Candidates.Length; c++)
        {
            if (errors[c] < errors[best])
            {
                best = c;
            }
        }
        return Candidates[best];
    }

    private static double At(ReadOnlySpan<double> values, int index) => index >= 0 && index < values.Length ? values[index] : double.NaN;
}
