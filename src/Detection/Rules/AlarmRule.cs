using MetaAnomaly.Detection.Events;

namespace MetaAnomaly.Detection.Rules;

/// <summary>
/// One alarm rule's state for one series: fires once the probability has reached the threshold, on the rule's side of
/// the forecast, for <see cref="AlarmRuleOptions.MinDuration"/> consecutive points.
/// </summary>
internal sealed class AlarmRule(AlarmRuleOptions options)
{
    private int _run;

    public string Name => options.Name;

    public bool Observe(double probability, double score, double threshold)
    {
        var onSide = options.Direction switch
        {
            AnomalyDirection.Up => score > 0,
            AnomalyDirection.Down => score < 0,
            _ => true,
        };
        _run = onSide && probability >= threshold ? _run + 1 : 0;
        return _run >= options.MinDuration;
    }
}
