using MetaAnomaly.Detection;
using MetaAnomaly.Detection.Rules;
using MetaAnomaly.Shared.Statistics;
using Microsoft.Extensions.Options;

namespace MetaAnomaly.Dashboard.Charts;

/// <summary>
/// The normal band's half-width in residual scales for a cluster: the first alarm rule's probability threshold for
/// the cluster (feedback moves it) as a two-sided normal deviate, as detection draws the band of its events.
/// </summary>
public sealed class NormalBandWidth(IThresholdSource thresholds, IOptions<DetectionOptions> detection)
{
    public double InScales(string? clusterId)
    {
        var threshold = thresholds.ThresholdFor(clusterId, detection.Value.EffectiveRules[0]);
        return threshold is > 0 and < 1 ? NormalQuantile.Of(0.5 + 0.5 * threshold) : double.NaN;
    }
}
