using System.Globalization;
using MetaAnomaly.Detection.Scoring;
using MetaAnomaly.Shared.Statistics;

namespace MetaAnomaly.Detection.PostRules;

/// <summary>Raises a stuck point's surprise to the flatline probability's (<see cref="FlatlineOptions"/>).</summary>
internal sealed class FlatlineRule : IPostRule
{
    private readonly FlatlineMemory _memory;
    private readonly double _surprise;
    private readonly string _source;

    private FlatlineRule(FlatlineOptions options)
    {
        _memory = new FlatlineMemory(options.MemoryPoints, options.MinPoints);
        _surprise = NormalQuantile.Of(options.Probability);
        _source = string.Create(CultureInfo.InvariantCulture,
            $"the flatline rule (one value repeated longer than {options.MinPoints} points and than any run in the last {options.MemoryPoints})");
    }

    public static IPostRule? Create(DetectionOptions options) =>
        options.Flatline.MinPoints > 0 ? new FlatlineRule(options.Flatline) : null;

    public void Apply(PointAssessment point)
    {
        if (_memory.Add(point.Value))
        {
            point.Raise(_surprise, _source);
        }
    }
}
