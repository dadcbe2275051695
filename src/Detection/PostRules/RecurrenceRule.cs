using System.Globalization;
using MetaAnomaly.Detection.Scoring;

namespace MetaAnomaly.Detection.PostRules;

/// <summary>Marks a notable deviation recurring when it happened at about this time on each of the last lookbacks (<see cref="RecurrenceOptions"/>).</summary>
internal sealed class RecurrenceRule : IPostRule
{
    private readonly RecurrenceOptions _options;
    private readonly double _rememberFrom;
    private readonly RecurrenceMemory _memory;
    private readonly string _reason;

    private RecurrenceRule(RecurrenceOptions options, double notableDeviate)
    {
        _options = options;
        _rememberFrom = options.Ratio * notableDeviate;
        _memory = new RecurrenceMemory(options.Lookback, options.Tolerance, options.Repeats);
        _reason = string.Create(CultureInfo.InvariantCulture,
            $"excused as recurring: as large a deviation within {options.Tolerance.TotalMinutes:0} min of this time on each of the last {options.Repeats} lookbacks of {options.Lookback.TotalHours:0.##} h");
    }

    public static IPostRule? Create(DetectionOptions options) =>
        options.Recurrence.Lookback > TimeSpan.Zero ? new RecurrenceRule(options.Recurrence, options.Scoring.NotableDeviate) : null;

    public void Apply(PointAssessment point)
    {
        if (point.Notable && _memory.ReferenceAt(point.Timestamp) >= _options.Ratio * point.Deviate)
        {
            point.MarkRecurring(_reason);
        }
        if (point.Deviate >= _rememberFrom)
        {
            _memory.Add(point.Timestamp, point.Deviate);
        }
    }
}
