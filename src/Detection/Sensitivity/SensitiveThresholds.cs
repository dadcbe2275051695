using MetaAnomaly.Detection.Feedback;
using MetaAnomaly.Detection.Rules;
using MetaAnomaly.Shared.Series;

namespace MetaAnomaly.Detection.Sensitivity;

/// <summary>
/// The thresholds the detector uses: the cluster's (configured, moved by feedback), shifted by the sensitivity of the
/// series (<see cref="AlertSensitivity"/>): the live detector reads it from the operators' settings, the alert preview
/// fixes it.
/// </summary>
internal sealed class SensitiveThresholds(FeedbackThresholds feedback, Func<SeriesKey, string?, AlertSensitivity> sensitivityOf) : IThresholdSource
{
    private const double MinNines = 1;
    private const double MaxNines = 15;

    public double ThresholdFor(SeriesKey series, string? clusterId, AlarmRuleOptions rule) =>
        Shift(feedback.ThresholdFor(clusterId, rule), sensitivityOf(series, clusterId));

    /// <summary>The threshold moved by the sensitivity's nines (Medium returns it unchanged), kept within 0.9 and 1 - 1e-15.</summary>
    public static double Shift(double threshold, AlertSensitivity sensitivity)
    {
        var nines = sensitivity switch
        {
            AlertSensitivity.Low => 2,
            AlertSensitivity.High => -1,
            _ => 0,
        };
        return nines == 0 ? threshold : 1 - Math.Pow(10, -Math.Clamp(-Math.Log10(1 - threshold) + nines, MinNines, MaxNines));
    }
}
