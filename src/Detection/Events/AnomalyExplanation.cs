using System.Globalization;

namespace MetaAnomaly.Detection.Events;

/// <summary>
/// An event in words an operator reads at a glance: one sentence (what the series did against what was expected, the
/// 0-100 score and severity, how long) and the few numbers behind it. The detector's own account of what raised the
/// peak point stays in <see cref="AnomalyEvent.Reason"/>.
/// </summary>
public static class AnomalyExplanation
{
    public static string Sentence(AnomalyEvent anomaly)
    {
        var deviation = anomaly.Value - anomaly.Forecast;
        var side = deviation >= 0 ? "above" : "below";
        var edge = deviation >= 0 ? anomaly.BandUpper : anomaly.BandLower;
        var outside = double.IsFinite(edge) && (deviation >= 0 ? anomaly.Value > edge : anomaly.Value < edge)
            ? string.Create(CultureInfo.InvariantCulture, $", outside the normal band {Number(anomaly.BandLower)} to {Number(anomaly.BandUpper)}")
            : "";
        var duration = anomaly.Points <= 1 ? "for one point" : $"for {Humanize(anomaly.Duration)} ({anomaly.Points} points)";
        return string.Create(CultureInfo.InvariantCulture,
            $"{anomaly.SeriesKey} was {Number(anomaly.Value)} at its peak, {Number(Math.Abs(deviation))} {side} the {Number(anomaly.Forecast)} forecast{outside}, " +
            $"{duration}: anomaly score {anomaly.AnomalyScore:0}/100 ({anomaly.Severity}{RuleClause(anomaly)}).");
    }

    /// <summary>The numbers behind the sentence, labelled, in reading order.</summary>
    public static IReadOnlyList<(string Label, string Value)> Facts(AnomalyEvent anomaly) =>
    [
        ("Anomaly score", string.Create(CultureInfo.InvariantCulture, $"{anomaly.AnomalyScore:0} / 100 ({anomaly.Severity})")),
        ("Actual at peak", Number(anomaly.Value)),
        ("Forecast", Number(anomaly.Forecast)),
        ("Normal band", $"{Number(anomaly.BandLower)} to {Number(anomaly.BandUpper)}"),
        ("Deviation", string.Create(CultureInfo.InvariantCulture, $"{anomaly.Score:0.0} residual scales ({anomaly.Direction})")),
        ("Rarity", anomaly.Surprise is { } surprise ? Rarity(surprise) : "not stored"),
        ("Duration", anomaly.Points <= 1 ? "one point" : $"{Humanize(anomaly.Duration)}, {anomaly.Points} points"),
    ];

    /// <summary>A span as a person says it: 45 s, 12 min, 3.5 h, 2.1 days.</summary>
    public static string Humanize(TimeSpan span) => span.TotalSeconds < 90
        ? string.Create(CultureInfo.InvariantCulture, $"{span.TotalSeconds:0} s")
        : span.TotalMinutes < 90 ? string.Create(CultureInfo.InvariantCulture, $"{span.TotalMinutes:0} min")
        : span.TotalHours < 36 ? string.Create(CultureInfo.InvariantCulture, $"{span.TotalHours:0.#} h")
        : string.Create(CultureInfo.InvariantCulture, $"{span.TotalDays:0.#} days");

    /// <summary>A value with at most five significant digits and no exponent below a billion.</summary>
    public static string Number(double value) => !double.IsFinite(value) ? "unknown"
        : Math.Abs(value) is >= 1e9 or (< 1e-4 and > 0) ? value.ToString("0.###e0", CultureInfo.InvariantCulture)
        : value.ToString(Math.Abs(value) >= 1e5 ? "#,0" : "#,0.####", CultureInfo.InvariantCulture);

    private static string RuleClause(AnomalyEvent anomaly) => string.IsNullOrEmpty(anomaly.Rule) ? "" : $", rule '{anomaly.Rule}'";

    private static string Rarity(double surprise)
    {
        var decades = AnomalyScore.RarityDecades(surprise);
        return decades < 3
            ? string.Create(CultureInfo.InvariantCulture, $"one in {Math.Pow(10, decades):0} under normal variation")
            : string.Create(CultureInfo.InvariantCulture, $"one in 10^{decades:0.#} under normal variation");
    }
}
