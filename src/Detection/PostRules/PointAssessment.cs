using MetaAnomaly.Detection.Events;

namespace MetaAnomaly.Detection.PostRules;

/// <summary>
/// One point on its way through the post-rules: what the residual scorer measured (fixed), and what the rules have
/// decided so far (recurring, seen before, the calibrated surprise and what raised it, scored, the verdict), with the
/// reasons in words.
/// </summary>
internal sealed class PointAssessment(
    DateTimeOffset timestamp, double value, double forecast, double scale, double score, double deviate, bool notable,
    bool priming, string? clusterId)
{
    private List<string>? _reasons;

    public DateTimeOffset Timestamp => timestamp;

    public double Value => value;

    public double Forecast => forecast;

    /// <summary>value - forecast.</summary>
    public double Residual { get; } = value - forecast;

    /// <summary>The robust residual scale the score is measured in.</summary>
    public double Scale => scale;

    /// <summary>The residual in scales (signed).</summary>
    public double Score => score;

    /// <summary>|score| as a one-sided normal deviate.</summary>
    public double Deviate => deviate;

    /// <summary>The deviate reaches <see cref="ScoringOptions.NotableDeviate"/>: only such points recur, are remembered or excused.</summary>
    public bool Notable => notable;

    /// <summary>A point of stored history: it teaches every rule but is never anomalous.</summary>
    public bool Priming => priming;

    public string? ClusterId => clusterId;

    /// <summary>The deviation recurred at this time on the last days: calibrated as an ordinary point, never alarms.</summary>
    public bool Recurring { get; private set; }

    /// <summary>The series made this deviation before: its surprise is discounted.</summary>
    public bool Seen { get; private set; }

    /// <summary>The calibrated surprise (its normal CDF is the anomaly probability).</summary>
    public double Surprise { get; private set; }

    /// <summary>Which statistic the surprise comes from, in words (null until a calibration sets it).</summary>
    public string? SurpriseSource { get; private set; }

    /// <summary>False for priming points and during the calibration warm-up: never anomalous.</summary>
    public bool Scored { get; private set; } = !priming;

    /// <summary>The alarm rule that fired; null when the point is normal.</summary>
    public string? Rule { get; private set; }

    public bool Anomalous => Rule is not null;

    /// <summary>The threshold of the rule that fired, or of the first rule when none did.</summary>
    public double Threshold { get; private set; } = double.NaN;

    public AnomalyDirection Direction => score >= 0 ? AnomalyDirection.Up : AnomalyDirection.Down;

    /// <summary>What raised or excused the point, in words; null when nothing did.</summary>
    public string? Reason => _reasons is null ? null : string.Join("; ", _reasons);

    public void Explain(string reason) => (_reasons ??= []).Add(reason);

    public void MarkRecurring(string reason)
    {
        Recurring = true;
        Explain(reason);
    }

    public void MarkSeen(string reason)
    {
        Seen = true;
        Explain(reason);
    }

    public void Calibrate(double surprise, string source)
    {
        Surprise = surprise;
        SurpriseSource = source;
    }

    /// <summary>Raises the surprise to <paramref name="surprise"/> when larger (the max of the two), noting its source.</summary>
    public void Raise(double surprise, string source)
    {
        if (surprise > Surprise)
        {
            SurpriseSource = source;
        }
        Surprise = Math.Max(Surprise, surprise);
    }

    public void Unscored(string reason)
    {
        Scored = false;
        Explain(reason);
    }

    public void Decide(string? rule, double threshold)
    {
        Rule = rule;
        Threshold = threshold;
    }
}
