using System.Globalization;
using MetaAnomaly.Detection.Scoring;

namespace MetaAnomaly.Detection.PostRules;

/// <summary>Marks the return from an excused excursion seen (<see cref="ExcusedReturnOptions"/>).</summary>
internal sealed class ExcusedReturnRule : IPostRule
{
    private readonly ExcusedExcursion _excursion = new();
    private readonly double _notableDeviate;
    private readonly string _reason;

    private ExcusedReturnRule(double notableDeviate)
    {
        _notableDeviate = notableDeviate;
        _reason = string.Create(CultureInfo.InvariantCulture,
            $"excused: back to within {notableDeviate:0.##} scales of the forecast made before an excused excursion");
    }

    public static IPostRule? Create(DetectionOptions options) =>
        options.ExcusedReturn.Enabled ? new ExcusedReturnRule(options.Scoring.NotableDeviate) : null;

    public void Apply(PointAssessment point)
    {
        var returns = point.Notable && !point.Seen && !point.Recurring
            && _excursion.Returns(point.Value, point.Forecast, point.Scale, _notableDeviate);
        _excursion.Observe(point.Seen || point.Recurring, point.Forecast);
        if (returns)
        {
            point.MarkSeen(_reason);
        }
    }
}
