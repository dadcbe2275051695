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
        Require(scoring.ShortWindow >= 1, "Scoring:ShortWindow", "must be at least 1.");
        Require(scoring.LongWindow > scoring.ShortWindow, "Scoring:LongWindow", "must be larger than Scoring:ShortWindow.");
        Require(scoring.SustainedWindow == 0 || scoring.SustainedWindow > scoring.ShortWindow && scoring.SustainedWindow < scoring.LongWindow,
            "Scoring:SustainedWindow", "must be 0 (off) or between Scoring:ShortWindow and Scoring:LongWindow (exclusive).");
        Require(scoring.RecurrenceLookback >= TimeSpan.Zero, "Scoring:RecurrenceLookback", "must not be negative (0 disables it).");
        Require(scoring.RecurrenceTolerance >= TimeSpan.Zero && scoring.RecurrenceTolerance < scoring.RecurrenceLookback || scoring.RecurrenceLookback == TimeSpan.Zero,
            "Scoring:RecurrenceTolerance", "must be in [0, Scoring:RecurrenceLookback).");
        Require(scoring.RecurrenceRepeats >= 1, "Scoring:RecurrenceRepeats", "must be at least 1.");
        Require(scoring.RecurrenceRatio is > 0 and <= 1, "Scoring:RecurrenceRatio", "must be in (0, 1].");
        Require(scoring.NotableDeviate >= 0, "Scoring:NotableDeviate", "must not be negative.");
        Require(scoring.DeviationMemoryPoints >= 0, "Scoring:DeviationMemoryPoints", "must not be negative (0 disables it).");
        Require(scoring.DeviationMemoryExclusion >= 0 && (scoring.DeviationMemoryExclusion < scoring.DeviationMemoryPoints || scoring.DeviationMemoryPoints == 0),
            "Scoring:DeviationMemoryExclusion", "must be in [0, Scoring:DeviationMemoryPoints).");
        Require(scoring.DeviationMemoryTolerance is > 0 and < 1, "Scoring:DeviationMemoryTolerance", "must be in (0, 1).");
        Require(scoring.FlatlineMinPoints >= 0, "Scoring:FlatlineMinPoints", "must not be negative (0 disables it).");
        Require(scoring.FlatlineMemoryPoints > scoring.FlatlineMinPoints || scoring.FlatlineMinPoints == 0, "Scoring:FlatlineMemoryPoints", "must be larger than Scoring:FlatlineMinPoints.");
        Require(scoring.FlatlineProbability is > 0 and < 1, "Scoring:FlatlineProbability", "must be a probability in (0, 1).");
        Require(scoring.SeenDeviationDiscount >= 1, "Scoring:SeenDeviationDiscount", "must be at least 1 (1 leaves seen deviations as they are).");
        Require(scoring.WarmupPoints >= 0, "Scoring:WarmupPoints", "must not be negative.");

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
        Require(severity.Medium is > 0 and < 1 && severity.Medium <= severity.High && severity.High <= severity.Critical && severity.Critical < 1,
            "Severity", "needs 0 < Medium <= High <= Critical < 1.");

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
        Require(webhooks.MaxAttempts >= 1, "Webhooks:MaxAttempts", "must be at least 1.");
        Require(webhooks.InitialBackoff > TimeSpan.Zero && webhooks.MaxBackoff >= webhooks.InitialBackoff, "Webhooks:InitialBackoff", "must be positive and at most Webhooks:MaxBackoff.");
        Require(webhooks.AttemptTimeout > TimeSpan.Zero, "Webhooks:AttemptTimeout", "must be positive.");
        Require(webhooks.BreakerFailures >= 1, "Webhooks:BreakerFailures", "must be at least 1.");
        Require(webhooks.BreakerOpenFor > TimeSpan.Zero, "Webhooks:BreakerOpenFor", "must be positive.");
        Require(webhooks.PollInterval > TimeSpan.Zero, "Webhooks:PollInterval", "must be positive.");
        Require(Uri.TryCreate(webhooks.DashboardUrl, UriKind.Absolute, out _), "Webhooks:DashboardUrl", "must be an absolute URL.");
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
