namespace MetaAnomaly.Detection.Sensitivity;

/// <summary>An operator's sensitivity for one series (<paramref name="Target"/> its canonical key) or one cluster (its id).</summary>
public sealed record SensitivitySetting(SensitivityScope Scope, string Target, AlertSensitivity Sensitivity, string? SetBy, DateTimeOffset SetAt);

/// <summary>The sensitivity in force for a series, and where it is set (null: nowhere, the default Medium).</summary>
public sealed record EffectiveSensitivity(AlertSensitivity Sensitivity, SensitivityScope? SetOn)
{
    public static EffectiveSensitivity Default { get; } = new(AlertSensitivity.Medium, null);
}
