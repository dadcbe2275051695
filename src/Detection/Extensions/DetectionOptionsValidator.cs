using Microsoft.Extensions.Options;

namespace MetaAnomaly.Detection.Extensions;

/// <summary>Checks the <c>Detection</c> section at start; each failure names its configuration key.</summary>
internal sealed class DetectionOptionsValidator : IValidateOptions<DetectionOptions>
{
    public ValidateOptionsResult Validate(string? name, DetectionOptions options)
    {
        var errors = new List<string>();
        void Require(bool condition, string key, string message)
        {
            if (!condition)
            {
                errors.Add($"Detection:{key} {message}");
            }
        }

        Require(options.TickInterval > TimeSpan.Zero, "TickInterval", "must be positive.");
        Require(options.HistoryPoints >= 2, "HistoryPoints", "must be at least 2.");
        Require(options.MaxPointsPerTick >= 1, "MaxPointsPerTick", "must be at least 1.");
        Require(options.MaxRequestsPerTick >= 1, "MaxRequestsPerTick", "must be at least 1.");
        Require(options.PrimingPoints >= 0, "PrimingPoints", "must not be negative (0 disables it).");
        Require(options.MaskProbability is > 0 and <= 1, "MaskProbability", "must be in (0, 1].");
        Require(options.ScoreRetention > TimeSpan.Zero, "ScoreRetention", "must be positive.");

        var scoring = options.Scoring;
        Require(scoring.ScaleWindow >= 2, "Scoring:ScaleWindow", "must be at least 2.");
        Require(scoring.MinOnlineResiduals is >= 2 && scoring.MinOnlineResiduals <= scoring.ScaleWindow, "Scoring:MinOnlineResiduals", "must be in [2, Scoring:ScaleWindow].");
        Require(scoring.RelativeScaleFloor is > 0 and < 1, "Scoring:RelativeScaleFloor", "must be in (0, 1).");
        Require(scoring.StdFloorFraction is >= 0 and <= 1, "Scoring:StdFloorFraction", "must be in [0, 1].");
        Require(scoring.NotableDeviate >= 0, "Scoring:NotableDeviate", "must not be negative.");
        Require(scoring.SeenDeviationDiscount >= 1, "Scoring:SeenDeviationDiscount", "must be at least 1 (1 leaves seen deviations as they are).");

        var recurrence = options.Recurrence;
        Require(recurrence.Lookback >= TimeSpan.Zero, "Recurrence:Lookback", "must not be negative (0 disables it).");
        Require(recurrence.Tolerance >= TimeSpan.Zero && recurrence.Tolerance < recurrence.Lookback || recurrence.Lookback == TimeSpan.Zero,
            "Recurrence:Tolerance", "must be in [0, Recurrence:Lookback).");
        Require(recurrence.Repeats >= 1, "Recurrence:Repeats", "must be at least 1.");
        Require(recurrence.Ratio is > 0 and <= 1, "Recurrence:Ratio", "must be in (0, 1].");

        var memory = options.DeviationMemory;
        Require(memory.Points >= 0, "DeviationMemory:Points", "must not be negative (0 disables it).");
        Require(memory.Exclusion >= 0 && (memory.Exclusion < memory.Points || memory.Points == 0),
            "DeviationMemory:Exclusion", "must be in [0, DeviationMemory:Points).");
        Require(memory.Tolerance is > 0 and < 1, "DeviationMemory:Tolerance", "must be in (0, 1).");

        var calibration = options.Calibration;
        Require(calibration.ShortWindow >= 1, "Calibration:ShortWindow", "must be at least 1.");
        Require(calibration.LongWindow > calibration.ShortWindow, "Calibration:LongWindow", "must be larger than Calibration:ShortWindow.");

        var sustained = options.Sustained;
        Require(sustained.Window == 0 || sustained.Window > calibration.ShortWindow && sustained.Window < sustained.LongWindow,
            "Sustained:Window", "must be 0 (off) or between Calibration:ShortWindow and Sustained:LongWindow (exclusive).");

        var flatline = options.Flatline;
        Require(flatline.MinPoints >= 0, "Flatline:MinPoints", "must not be negative (0 disables it).");
        Require(flatline.MemoryPoints > flatline.MinPoints || flatline.MinPoints == 0, "Flatline:MemoryPoints", "must be larger than Flatline:MinPoints.");
        Require(flatline.Probability is > 0 and < 1, "Flatline:Probability", "must be a probability in (0, 1).");

        Require(options.Warmup.Points >= 0, "Warmup:Points", "must not be negative.");

        var names = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < options.Rules.Count; i++)
        {
            var rule = options.Rules[i];
            Require(!string.IsNullOrWhiteSpace(rule.Name), $"Rules:{i}:Name", "is required.");
            Require(names.Add(rule.Name), $"Rules:{i}:Name", $"'{rule.Name}' is used by another rule.");
            Require(rule.Threshold is > 0 and < 1, $"Rules:{i}:Threshold", $"must be a probability in (0, 1), got {rule.Threshold}.");
            Require(Enum.IsDefined(rule.Direction), $"Rules:{i}:Direction", "must be Up, Down or Both.");
            Require(rule.MinDuration >= 1, $"Rules:{i}:MinDuration", "must be at least 1 point.");
        }

        Require(options.Events.ReturnToNormalPoints >= 1, "Events:ReturnToNormalPoints", "must be at least 1.");
        Require(options.Events.CoolDown >= TimeSpan.Zero, "Events:CoolDown", "must not be negative.");

        var severity = options.Severity;
        Require(severity.Medium is > 0 and <= 100 && severity.Medium <= severity.High && severity.High <= severity.Critical && severity.Critical <= 100,
            "Severity", "needs 0 < Medium <= High <= Critical <= 100 (anomaly scores).");

        var feedback = options.Feedback;
        Require(feedback.MinVerdicts >= 1, "Feedback:MinVerdicts", "must be at least 1.");
        Require(feedback.LowPrecision is >= 0 and <= 1 && feedback.HighPrecision is >= 0 and <= 1 && feedback.LowPrecision <= feedback.HighPrecision,
            "Feedback", "needs 0 <= LowPrecision <= HighPrecision <= 1.");
        Require(feedback.MinThreshold is > 0 and < 1 && feedback.MaxThreshold is > 0 and < 1 && feedback.MinThreshold <= feedback.MaxThreshold,
            "Feedback", "needs 0 < MinThreshold <= MaxThreshold < 1.");
        foreach (var (rule, i) in options.Rules.Select((r, i) => (r, i)))
        {
            Require(rule.Threshold >= feedback.MinThreshold && rule.Threshold <= feedback.MaxThreshold, $"Rules:{i}:Threshold",
                $"must lie within Feedback:MinThreshold..Feedback:MaxThreshold ({feedback.MinThreshold}..{feedback.MaxThreshold}).");
        }

        var webhooks = options.Webhooks;
        Require(webhooks.InitialBackoff > TimeSpan.Zero && webhooks.MaxBackoff >= webhooks.InitialBackoff, "Webhooks:InitialBackoff", "must be positive and at most Webhooks:MaxBackoff.");
        Require(webhooks.RetryHorizon >= webhooks.MaxBackoff, "Webhooks:RetryHorizon", "must be at least Webhooks:MaxBackoff.");
        Require(webhooks.AttemptTimeout > TimeSpan.Zero, "Webhooks:AttemptTimeout", "must be positive.");
        Require(webhooks.BreakerFailures >= 1, "Webhooks:BreakerFailures", "must be at least 1.");
        Require(webhooks.PollInterval > TimeSpan.Zero, "Webhooks:PollInterval", "must be positive.");
        Require(webhooks.DashboardUrl is "" || Uri.TryCreate(webhooks.DashboardUrl, UriKind.Absolute, out _), "Webhooks:DashboardUrl", "must be empty (the address the host listens on) or an absolute URL.");
        Require(webhooks.MinSeriesInterval >= TimeSpan.Zero, "Webhooks:MinSeriesInterval", "must not be negative.");
        var endpointNames = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < webhooks.Endpoints.Count; i++)
        {
            var endpoint = webhooks.Endpoints[i];
            Require(!string.IsNullOrWhiteSpace(endpoint.Name) && endpointNames.Add(endpoint.Name), $"Webhooks:Endpoints:{i}:Name", "is required and must be unique.");
            Require(Uri.TryCreate(endpoint.Url, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps),
                $"Webhooks:Endpoints:{i}:Url", "must be an absolute http or https URL.");
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
