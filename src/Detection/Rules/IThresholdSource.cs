using MetaAnomaly.Shared.Series;

namespace MetaAnomaly.Detection.Rules;

/// <summary>
/// The threshold a rule uses for one series of a cluster: the configured one, moved by feedback for the cluster, then
/// by the operator's sensitivity for the series or its cluster.
/// </summary>
public interface IThresholdSource
{
    double ThresholdFor(SeriesKey series, string? clusterId, AlarmRuleOptions rule);
}

/// <summary>The configured thresholds, unchanged (evaluation, and before any feedback).</summary>
public sealed class ConfiguredThresholds : IThresholdSource
{
    public static ConfiguredThresholds Instance { get; } = new();

    public double ThresholdFor(SeriesKey series, string? clusterId, AlarmRuleOptions rule) => rule.Threshold;
}
