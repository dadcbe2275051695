using System.Globalization;

namespace MetaAnomaly.Detection.PostRules;

/// <summary>Holds back the verdict of a point whose surprise is not rare for its series (<see cref="RankGateOptions"/>).</summary>
internal sealed class RankGateRule : IPostRule
{
    private readonly double[] _surprises;
    private readonly int _rank;
    private readonly double _deviations;
    private readonly double _explainFrom;
    private int _count;
    private int _next;

    private RankGateRule(RankGateOptions options, double explainFrom)
    {
        _surprises = new double[options.Window];
        _rank = options.Rank;
        _deviations = options.Deviations;
        _explainFrom = explainFrom;
    }

    public static IPostRule? Create(DetectionOptions options) =>
        options.RankGate.Window > 0
            ? new RankGateRule(options.RankGate, Shared.Statistics.NormalQuantile.Of(options.Feedback.MinThreshold))
            : null;

    public void Apply(PointAssessment point)
    {
        if (!point.Scored)
        {
            return;
        }
        var surprise = point.Surprise;
        var asLarge = 0;
        var (sum, squares) = (0.0, 0.0);
        for (var i = 0; i < _count; i++)
        {
            asLarge += _surprises[i] >= surprise ? 1 : 0;
            sum += _surprises[i];
            squares += _surprises[i] * _surprises[i];
        }
        var mean = _count > 0 ? sum / _count : 0;
        var sd = _count > 1 ? Math.Sqrt(Math.Max(0, squares / _count - mean * mean)) : 0;
        var held = _deviations > 0 ? _count > 1 && surprise < mean + _deviations * sd : asLarge >= _rank && _count > 0;
        if (held)
        {
            point.Gate(surprise >= _explainFrom
                ? string.Create(CultureInfo.InvariantCulture, $"held back: {asLarge} of the series' last {_count} points were as surprising")
                : null);
        }
        _surprises[_next] = surprise;
        _next = (_next + 1) % _surprises.Length;
        _count = Math.Min(_count + 1, _surprises.Length);
    }
}
