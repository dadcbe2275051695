namespace MetaAnomaly.Detection.PostRules;

/// <summary>
/// The excused return (<c>Detection:ExcusedReturn</c>): a notable point that moves back to within
/// <see cref="ScoringOptions.NotableDeviate"/> scales of the forecast made before a run of excused (seen or recurring)
/// points is seen too: the fall back after a known spike, forecast from the spike's top.
/// </summary>
public sealed class ExcusedReturnOptions
{
    public const string Section = "ExcusedReturn";

    public bool Enabled { get; set; } = true;
}
