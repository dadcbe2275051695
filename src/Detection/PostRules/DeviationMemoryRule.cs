using System.Globalization;
using MetaAnomaly.Detection.Scoring;

namespace MetaAnomaly.Detection.PostRules;

/// <summary>Marks a notable deviation seen when the series made it before (<see cref="DeviationMemoryOptions"/>).</summary>
internal sealed class DeviationMemoryRule : IPostRule
{
    private readonly DeviationMemory _memory;
    private readonly string _seen;
    private readonly string _new;

    private DeviationMemoryRule(DeviationMemoryOptions options)
    {
        _memory = new DeviationMemory(options.Points, options.Exclusion, options.Tolerance);
        _seen = string.Create(CultureInfo.InvariantCulture, $"excused: the deviation memory saw a deviation of this size from this forecast in the last {options.Points} points");
        _new = string.Create(CultureInfo.InvariantCulture, $"no deviation of this size from this forecast in the last {options.Points} points");
    }

    public static IPostRule? Create(DetectionOptions options) =>
        options.DeviationMemory.Points > 0 ? new DeviationMemoryRule(options.DeviationMemory) : null;

    public void Apply(PointAssessment point)
    {
        if (point.Notable)
        {
            if (_memory.Seen(point.Forecast, point.Value))
            {
                point.MarkSeen(_seen);
            }
            else
            {
                point.Explain(_new);
            }
        }
        _memory.Add(point.Forecast, point.Value, point.Notable);
    }
}
