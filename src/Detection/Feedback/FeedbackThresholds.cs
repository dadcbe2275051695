using System.Collections.Concurrent;
using MetaAnomaly.Detection.Rules;
using MetaAnomaly.Detection.Storage;
using MetaAnomaly.Shared.Storage;
using Microsoft.Extensions.Options;

namespace MetaAnomaly.Detection.Feedback;

/// <summary>
/// Per-cluster rule thresholds tuned by operators' verdicts, persisted, always within
/// [<see cref="FeedbackOptions.MinThreshold"/>, <see cref="FeedbackOptions.MaxThreshold"/>]; the operator's sensitivity
/// moves them further per series or cluster (<see cref="Sensitivity.SensitiveThresholds"/>).
/// </summary>
/// <remarks>
/// Thresholds move in "nines", n = -log10(1 - threshold): half a nine up when a cluster's precision is below
/// <see cref="FeedbackOptions.LowPrecision"/> (too many dismissed alarms), half a nine down when it is above
/// <see cref="FeedbackOptions.HighPrecision"/> (alarms are trusted: catch more), once the cluster has
/// <see cref="FeedbackOptions.MinVerdicts"/> verdicts. Each new verdict may move it once more.
/// </remarks>
internal sealed class FeedbackThresholds(IStateDatabase database, IOptions<DetectionOptions> options, TimeProvider time)
{
    private const double Step = 0.5;
    private readonly ConcurrentDictionary<(string Cluster, string Rule), double> _tuned = new();

    /// <summary>The rule's threshold for the cluster: the configured one, or where feedback moved it.</summary>
    public double ThresholdFor(string? clusterId, AlarmRuleOptions rule) =>
        _tuned.TryGetValue((clusterId ?? "", rule.Name), out var tuned) ? tuned : rule.Threshold;

    public IReadOnlyDictionary<string, double> ThresholdsOf(string clusterId) =>
        options.Value.EffectiveRules.ToDictionary(r => r.Name, r => ThresholdFor(clusterId, r));

    public async Task LoadAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.Command("SELECT cluster_id, rule, threshold FROM detection_cluster_thresholds");
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            _tuned[(reader.GetString(0), reader.GetString(1))] = reader.GetDouble(2);
        }
    }

    /// <summary>Moves the cluster's thresholds according to its precision; returns them.</summary>
    public async Task<IReadOnlyDictionary<string, double>> TuneAsync(ClusterFeedback feedback, CancellationToken cancellationToken)
    {
        var bounds = options.Value.Feedback;
        if (feedback.Confirmed + feedback.Dismissed < bounds.MinVerdicts || feedback.Precision is not { } precision
            || (precision >= bounds.LowPrecision && precision <= bounds.HighPrecision))
        {
            return ThresholdsOf(feedback.ClusterId);
        }
        var direction = precision < bounds.LowPrecision ? Step : -Step;
        await using var connection = await database.OpenAsync(cancellationToken);
        foreach (var rule in options.Value.EffectiveRules)
        {
            var nines = -Math.Log10(1 - ThresholdFor(feedback.ClusterId, rule)) + direction;
            var threshold = Math.Clamp(1 - Math.Pow(10, -nines), bounds.MinThreshold, bounds.MaxThreshold);
            _tuned[(feedback.ClusterId, rule.Name)] = threshold;
            await using var command = connection.Command("""
                INSERT INTO detection_cluster_thresholds (cluster_id, rule, threshold, updated_ms) VALUES (@cluster, @rule, @threshold, @at)
                ON CONFLICT (cluster_id, rule) DO UPDATE SET threshold = excluded.threshold, updated_ms = excluded.updated_ms
                """).With("@cluster", feedback.ClusterId).With("@rule", rule.Name).With("@threshold", threshold)
                .With("@at", time.GetUtcNow().ToUnixMs());
            await command.ExecuteNonQueryAsync(cancellationToken);
        }
        return ThresholdsOf(feedback.ClusterId);
    }
}
