namespace MetaAnomaly.Detection.Rules;

/// <summary>The threshold a rule uses for a cluster: the configured one, moved by feedback within bounds.</summary>
public interface IThresholdSource
{
    double ThresholdFor(string? clusterId, AlarmRuleOptions rule);
}

/// <summary>The configured thresholds, unchanged (evaluation, and before any feedback).</summary>
public sealed class ConfiguredThresholds : IThresholdSource
{
    public static ConfiguredThresholds Instance { get; } = new();

    public double ThresholdFor(string? clusterId, AlarmRuleOptions rule) => rule.Threshold;
}
