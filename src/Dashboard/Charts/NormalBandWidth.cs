using MetaAnomaly.Detection;
using MetaAnomaly.Detection.Rules;
using MetaAnomaly.Shared.Series;
using MetaAnomaly.Shared.Statistics;
using Microsoft.Extensions.Options;

namespace MetaAnomaly.Dashboard.Charts;

/// <summary>
/// The normal band's half-width in residual scales for a series: the first alarm rule's probability threshold for it
/// (feedback moves it for the cluster, the operator's sensitivity for the series or cluster) as a two-sided normal
/// deviate, as detection draws the band of its events.
/// </summary>
public sealed class NormalBandWidth(IThresholdSource thresholds, IOptions<DetectionOptions> detection)
{
    public double InScales(SeriesKey series, string? clusterId)
    {
        var threshold = Threshold(series, clusterId);
        return threshold is > 0 and < 1 ? NormalQuantile.Of(0.5 + 0.5 * threshold) : double.NaN;
    }

    /// <summary>The first alarm rule's threshold for the series.</summary>
    public double Threshold(SeriesKey series, string? clusterId) => thresholds.ThresholdFor(series, clusterId, detection.Value.EffectiveRules[0]);
}
